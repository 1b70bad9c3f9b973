import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Match, RatingChange, User } from '../../src/db/entities.js';
import type { JournalEntry } from '../../src/db/journal.js';
import { JournalStore } from '../../src/db/journal-store.js';
import type { Database } from '../../src/db/orm.js';
import { leaderboard } from '../../src/db/records.js';
import { ormTransactions } from '../../src/db/transactions.js';
import {
  applyAction,
  createFairDice,
  legalMoves,
  newMatch,
  seatToAct,
  type MatchAction,
  type MatchSettings,
  type MatchState,
  type Seat,
} from '../../src/engine/index.js';
import { ESTABLISHED_EXPERIENCE, minimumTurnsEach, RATED_MATCHES_PER_PAIR_PER_DAY, turnsTaken } from '../../src/ratings/rated.js';
import { MatchRecorder } from '../../src/rooms/match-recorder.js';
import { DATABASE_KINDS, TestDatabase } from '../support/database.js';

/** A match between two stored accounts, played and recorded as a match room would, its entries kept for the journal. */
class RecordedMatch {
  readonly entries: JournalEntry[] = [];
  private match: MatchState;
  private readonly dice = createFairDice();
  private readonly recorder: MatchRecorder;

  constructor(white: User, black: User, settings: Partial<MatchSettings>, rated = true) {
    this.match = newMatch({ cube: false, ...settings });
    const player = (user: User) => ({ userId: user.id, name: user.name, rating: Number(user.rating) });
    this.recorder = new MatchRecorder(
      { append: (entry) => this.entries.push(entry) },
      { roomId: randomUUID(), match: this.match, players: [player(white), player(black)], rated, fairDice: this.dice },
    );
  }

  get id(): string {
    return this.recorder.matchId;
  }

  /** Plays the first legal moves until each player has taken `turns` turns. */
  playTurns(turns: number): this {
    while (Math.min(...turnsTaken(this.match)) < turns && this.match.phase !== 'over') this.apply(this.nextAction());
    return this;
  }

  forfeit(seat: Seat): this {
    return this.apply({ type: 'forfeit', seat });
  }

  /** The player on roll resigns the game (a single one) and the other accepts. */
  resign(): this {
    while (this.match.phase !== 'rolling') this.apply(this.nextAction());
    const seat = seatToAct(this.match)!;
    this.apply({ type: 'resign', seat, kind: 'single' });
    return this.apply({ type: 'accept', seat: seat === 0 ? 1 : 0 });
  }

  private nextAction(): MatchAction {
    const match = this.match;
    if (match.phase === 'opening') return { type: 'opening-roll', dice: this.dice.roll().dice };
    const seat = seatToAct(match)!;
    if (match.phase === 'rolling') return { type: 'roll', seat, dice: this.dice.roll().dice };
    const [move] = legalMoves(match.turnInProgress!);
    return move ? { type: 'move', seat, from: move.from, to: move.to } : { type: 'confirm', seat };
  }

  private apply(action: MatchAction): this {
    const before = this.match;
    this.match = applyAction(before, action);
    this.recorder.applied(before, action, this.match);
    if (this.match.phase === 'over') this.recorder.matchEnded(this.match, this.dice.reveal());
    return this;
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`rating rules in the journal on ${kind}`, function () {
    this.timeout(120_000);
    let testDatabase: TestDatabase;
    let database: Database;
    let store: JournalStore;

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'rating_rules');
      database = await testDatabase.open();
      store = new JournalStore(ormTransactions(database));
    });

    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    async function account(guest = false, experience = 0): Promise<User> {
      const em = database.em();
      const id = randomUUID();
      const name = `${guest ? 'guest' : 'player'}-${id.slice(0, 8)}`;
      const now = new Date();
      const user = em.create(User, { id, email: guest ? null : `${name}@example.org`, passwordHash: null, name, nameKey: name, guest, rating: 1500, experience, createdAt: now, lastLoginAt: now });
      await em.flush();
      return user;
    }

    async function stored(matchId: string): Promise<Match> {
      return database.em().findOneOrFail(Match, matchId);
    }

    async function ratingsOf(...users: User[]): Promise<number[]> {
      const found = await database.em().find(User, { id: { $in: users.map((user) => user.id) } });
      return users.map((user) => Number(found.find((row) => row.id === user.id)!.rating));
    }

    async function changesOf(matchId: string): Promise<number> {
      return database.em().count(RatingChange, { matchId });
    }

    /** A 1-point match both players played long enough to be rated, won by the player who does not resign. */
    function playedMatch(white: User, black: User): RecordedMatch {
      return new RecordedMatch(white, black, { matchLength: 1 }).playTurns(minimumTurnsEach(1)).resign();
    }

    it('rates a match between two registered accounts who both played enough', async () => {
      const [ann, ben] = [await account(), await account()];
      const match = playedMatch(ann, ben);
      await store.write(match.entries);
      assert.equal((await stored(match.id)).rated, true);
      assert.equal(await changesOf(match.id), 2);
      const ratings = await ratingsOf(ann, ben);
      assert.deepEqual([...ratings].sort(), [1490, 1510]);
    });

    it('rates nobody for a 25-point match forfeited right after the opening roll, or resigned after it', async () => {
      const [ann, ben] = [await account(), await account()];
      const forfeited = new RecordedMatch(ann, ben, { matchLength: 25 }).playTurns(1).forfeit(1);
      const resigned = new RecordedMatch(ann, ben, { matchLength: 1 }).playTurns(1).resign();
      await store.write([...forfeited.entries, ...resigned.entries]);
      for (const match of [forfeited, resigned]) {
        const row = await stored(match.id);
        assert.equal(row.status, 'finished');
        assert.notEqual(row.winner, null);
        assert.equal(row.rated, false, 'stored as not rated');
        assert.equal(row.rating0After, null);
        assert.equal(await changesOf(match.id), 0);
      }
      assert.deepEqual(await ratingsOf(ann, ben), [1500, 1500]);
    });

    it('rates nobody for a match a guest played, and says so from its start', async () => {
      const [guest, ben] = [await account(true), await account()];
      const match = new RecordedMatch(guest, ben, { matchLength: 1 }).playTurns(minimumTurnsEach(1));
      await store.write(match.entries);
      assert.equal((await stored(match.id)).rated, false, 'while it is played');
      await store.write(match.resign().entries);
      assert.equal((await stored(match.id)).rated, false, 'once it is over');
      assert.equal(await changesOf(match.id), 0);
      assert.deepEqual(await ratingsOf(guest, ben), [1500, 1500]);
    });

    it('stores money sessions as not rated', async () => {
      const [ann, ben] = [await account(), await account()];
      const money = new RecordedMatch(ann, ben, { matchLength: 0 }).playTurns(minimumTurnsEach(0));
      await store.write(money.entries);
      assert.equal((await stored(money.id)).rated, false, 'while it is played');
      await store.write(money.forfeit(0).entries);
      assert.equal((await stored(money.id)).rated, false, 'once it is over');
      assert.deepEqual(await ratingsOf(ann, ben), [1500, 1500]);
    });

    it('rates only the first matches between the same two accounts in 24 hours, in one batch or several', async () => {
      const [ann, ben, cat] = [await account(), await account(), await account()];
      const first = playedMatch(ann, ben);
      await store.write(first.entries);
      const more = Array.from({ length: RATED_MATCHES_PER_PAIR_PER_DAY }, (_, index) => (index % 2 === 0 ? playedMatch(ben, ann) : playedMatch(ann, ben)));
      const other = playedMatch(ann, cat);
      await store.write([...more, other].flatMap((match) => match.entries));
      const rated = await Promise.all([first, ...more].map(async (match) => (await stored(match.id)).rated));
      assert.deepEqual(rated, [...Array<boolean>(RATED_MATCHES_PER_PAIR_PER_DAY).fill(true), false]);
      assert.equal(await changesOf(more.at(-1)!.id), 0);
      assert.equal((await stored(other.id)).rated, true, 'another opponent is rated as usual');
    });

    it('lists registered, established accounts only on the leaderboard', async () => {
      const established = await account(false, ESTABLISHED_EXPERIENCE);
      const provisional = await account(false, ESTABLISHED_EXPERIENCE - 1);
      const guest = await account(true, 200);
      await database.em().nativeUpdate(User, { id: { $in: [established.id, provisional.id, guest.id] } }, { rating: 2500 });
      const board = await leaderboard(database.em(), { page: 1, pageSize: 100 });
      const listed = board.items.map((user) => user.id);
      assert.ok(listed.includes(established.id));
      assert.ok(!listed.includes(provisional.id), 'a provisional rating is not listed');
      assert.ok(!listed.includes(guest.id), 'a guest is not listed');
    });
  });

  describe(`migration 0005 on ${kind}`, function () {
    this.timeout(120_000);
    let testDatabase: TestDatabase;
    let database: Database;

    before(async function () {
      testDatabase = await TestDatabase.create(this, kind, 'rated_flag');
      database = await testDatabase.open({ migrate: false });
    });

    after(async () => {
      await database?.close();
      await testDatabase?.drop();
    });

    it('marks as not rated the stored matches that moved no rating and never will', async () => {
      await database.orm.migrator.up({ to: '0004-private-matches' });
      const em = database.em();
      const [ann, ben, guest] = [randomUUID(), randomUUID(), randomUUID()];
      for (const [id, isGuest] of [[ann, false], [ben, false], [guest, true]] as const) {
        await em.execute(`insert into users (id, name, name_key, guest, rating, experience, created_at, last_login_at) values (?, ?, ?, ?, 1500, 0, now(), now())`, [id, id, id, isGuest]);
      }
      const matches = {
        money: [0, 'finished', ann, ben, null],
        unratedEnd: [5, 'finished', ann, ben, null],
        ratedEnd: [5, 'finished', ann, ben, 1510],
        bot: [5, 'playing', ann, null, null],
        guestPlaying: [5, 'playing', guest, ben, null],
        playing: [5, 'playing', ann, ben, null],
      } as const;
      const ids = Object.fromEntries(Object.keys(matches).map((name) => [name, randomUUID()]));
      for (const [name, [length, status, white, black, after]] of Object.entries(matches)) {
        await em.execute(
          `insert into matches (id, room_id, status, match_length, rated, settings, player0_id, player1_id, player0_name, player1_name, score0, score1,
             dice_commitment, dice_client_seeds, started_at, rating0_after) values (?, 'r', ?, ?, true, '{}', ?, ?, 'a', 'b', 0, 0, 'c', '[]', now(), ?)`,
          [ids[name], status, length, white, black, after],
        );
      }
      await database.orm.migrator.up();
      const rows = await em.execute<{ id: string; rated: boolean }[]>('select id, rated from matches');
      const rated = Object.fromEntries(Object.keys(matches).map((name) => [name, rows.find((row) => row.id === ids[name])!.rated]));
      assert.deepEqual(rated, { money: false, unratedEnd: false, ratedEnd: true, bot: false, guestPlaying: false, playing: true });
    });
  });
}
