import { turnAround, type Play, type Position } from '../../engine/index.js';
import { sharedBearoffDatabase } from '../bearoff.js';
import { INPUT_COUNT } from '../encoding.js';
import { NetEvaluator, type ExactOutcomes } from '../evaluator.js';
import { Network } from '../network.js';
import { flipOutcome, newOutcome, OUTPUTS } from '../outcome.js';
import { Prng } from '../prng.js';
import { Search } from '../search.js';
import {
  deserializeNet,
  serializeNet,
  WEIGHTS_FORMAT,
  type Strength,
  type TrainingSettings,
  type WeightsFile,
} from '../weights-file.js';
import { benchmarkAgainstPubeval } from './benchmark.js';
import { playGame, type PlayChooser } from './game.js';

export const DEFAULT_SETTINGS: TrainingSettings = {
  hidden: 96,
  alpha: 0.05,
  alphaHalvingGames: 400_000,
  alphaFloor: 0.125,
  lambda: 0.7,
  targetPlies: 0,
  seed: 1,
  evalEvery: 10_000,
  evalGames: 1_000,
  evalSeed: 7,
};

const DESCRIPTION =
  'Backgammon position evaluator: a contact net and a race net, each with one hidden layer of sigmoid units and five ' +
  'sigmoid outputs (win, win gammon, win backgammon, lose gammon, lose backgammon) for the side on roll, trained by ' +
  'self-play (TD(lambda), or towards their own 1-ply judgement). Parameters per net: little-endian float32, base64: input weights (input-major), hidden ' +
  'biases, output weights (output-major), output biases.';

/**
 * Self-play training. Each game is played greedily at 0-ply by the net itself; at its end
 * every position the net judged moves towards a target: with `targetPlies` 0 its lambda-return
 * (the offline, forward view of TD(lambda)), a mix of the following positions' values and the
 * game's result; with 1 the net's own 1-ply judgement of it (the average over the 21 rolls of
 * the position after the best reply), which knows the dice exactly where the game saw one roll.
 * All randomness comes from one seeded generator saved with the weights, so a run resumed
 * from its checkpoint continues exactly as if it had never stopped.
 */
export class Trainer {
  readonly evaluator: NetEvaluator;
  private readonly states: Position[] = [];
  /** values[5 * t ..] holds the value of state t for its side on roll, as judged when it was reached. */
  private values = new Float64Array(OUTPUTS * 256);
  private readonly target = newOutcome();
  private readonly scratch = newOutcome();
  private readonly chooser: PlayChooser;
  private readonly search: Search;

  private constructor(
    readonly settings: TrainingSettings,
    contact: Network,
    race: Network,
    private readonly prng: Prng,
    public gamesTrained: number,
    public trainingHours: number,
    readonly strengthHistory: Strength[],
    exact: ExactOutcomes | null,
  ) {
    this.evaluator = new NetEvaluator(contact, race, exact);
    this.search = new Search(this.evaluator);
    this.chooser = (position, plays) => this.choose(position, plays);
  }

  static fresh(settings: TrainingSettings, exact: ExactOutcomes | null = sharedBearoffDatabase()): Trainer {
    const prng = Prng.fromSeed(settings.seed);
    const random = (): number => prng.next();
    const contact = new Network(INPUT_COUNT, settings.hidden);
    const race = new Network(INPUT_COUNT, settings.hidden);
    contact.initialize(random);
    race.initialize(random);
    return new Trainer(settings, contact, race, prng, 0, 0, [], exact);
  }

  static resume(file: WeightsFile, settings: TrainingSettings = file.settings, exact: ExactOutcomes | null = sharedBearoffDatabase()): Trainer {
    const contact = deserializeNet(file.nets.contact);
    const race = deserializeNet(file.nets.race);
    const history = file.strengthHistory.slice();
    return new Trainer(settings, contact, race, Prng.fromState(file.prngState), file.gamesTrained, file.trainingHours, history, exact);
  }

  /** The learning rate now: alpha, halved every alphaHalvingGames games, never below alpha * alphaFloor. */
  learningRate(): number {
    const { alpha, alphaHalvingGames, alphaFloor } = this.settings;
    return alpha * Math.max(alphaFloor, 0.5 ** (this.gamesTrained / alphaHalvingGames));
  }

  trainGame(): void {
    this.states.length = 0;
    playGame(this.prng, [this.chooser, this.chooser]);
    if (this.settings.targetPlies === 1) this.learnFromLookahead();
    else this.learnFromGame();
    this.gamesTrained++;
  }

  /** Plays the fixed benchmark against pubeval and records the result in the strength history. */
  measureStrength(): Strength {
    const { evalGames, evalSeed } = this.settings;
    const result = benchmarkAgainstPubeval(this.evaluator, evalGames, evalSeed);
    const strength: Strength = {
      games: this.gamesTrained,
      hours: round(this.trainingHours, 3),
      date: new Date().toISOString(),
      opponent: 'pubeval',
      evalGames: result.games,
      ppg: round(result.ppg, 4),
      standardError: round(result.standardError, 4),
      winRate: round(result.winRate, 4),
    };
    this.strengthHistory.push(strength);
    return strength;
  }

  checkpoint(command: string): WeightsFile {
    return {
      format: WEIGHTS_FORMAT,
      description: DESCRIPTION,
      command,
      settings: this.settings,
      gamesTrained: this.gamesTrained,
      trainingHours: round(this.trainingHours, 4),
      prngState: this.prng.state(),
      strengthHistory: this.strengthHistory,
      nets: { contact: serializeNet(this.evaluator.contact), race: serializeNet(this.evaluator.race) },
    };
  }

  private choose(position: Position, plays: readonly Play[]): number {
    this.states.push(position);
    const next = this.valueSlot(this.states.length);
    if (plays.length === 0) {
      this.evaluator.evaluate(turnAround(position), next);
      return -1;
    }
    return this.evaluator.bestPlay(plays, next);
  }

  /** The values buffer's slot for state t, growing the buffer when a game runs long. */
  private valueSlot(t: number): Float64Array {
    if (OUTPUTS * (t + 1) > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    return this.values.subarray(OUTPUTS * t, OUTPUTS * (t + 1));
  }

  /**
   * Walks the game backwards: the target of state t is its successor's value blended with the
   * successor's own target (weight lambda), seen from state t's side. The last successor is the
   * finished game, whose value is exact.
   */
  private learnFromGame(): void {
    const { lambda } = this.settings;
    const rate = this.learningRate();
    const target = this.target;
    const values = this.values;
    const last = this.states.length;
    target.set(values.subarray(OUTPUTS * last, OUTPUTS * (last + 1)));
    for (let t = last - 1; t >= 0; t--) {
      const successor = OUTPUTS * (t + 1);
      for (let o = 0; o < OUTPUTS; o++) target[o] = (1 - lambda) * values[successor + o]! + lambda * target[o]!;
      flipOutcome(target, target);
      const state = this.states[t]!;
      const net = this.evaluator.netFor(state, this.scratch);
      if (net) net.train(this.evaluator.encode(state), target, rate, this.scratch);
    }
  }

  /** Moves every position of the game towards the net's 1-ply judgement of it, first to last. */
  private learnFromLookahead(): void {
    const rate = this.learningRate();
    for (const state of this.states) {
      const net = this.evaluator.netFor(state, this.scratch);
      if (!net) continue;
      this.search.evaluatePosition(state, 1, this.target);
      net.train(this.evaluator.encode(state), this.target, rate, this.scratch);
    }
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
