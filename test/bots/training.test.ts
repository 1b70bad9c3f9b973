import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, Trainer } from '../../src/bots/training/trainer.js';
import { readWeightsFile, writeWeightsFile, type TrainingSettings, type WeightsFile } from '../../src/bots/weights-file.js';

const SETTINGS = { ...DEFAULT_SETTINGS, hidden: 8, seed: 42, evalGames: 4 };

function trained(games: number, settings: TrainingSettings = SETTINGS): Trainer {
  const trainer = Trainer.fresh(settings);
  for (let i = 0; i < games; i++) trainer.trainGame();
  return trainer;
}

function runState(file: WeightsFile): unknown {
  return { nets: file.nets, prngState: file.prngState, gamesTrained: file.gamesTrained };
}

describe('bot training', () => {
  it('is deterministic: the same seed trains the same weights', () => {
    const first = trained(30).checkpoint('test');
    const second = trained(30).checkpoint('test');
    assert.deepEqual(runState(first), runState(second));
    assert.notDeepEqual(first.nets, Trainer.fresh(SETTINGS).checkpoint('test').nets);
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', () => {
    const directory = mkdtempSync(join(tmpdir(), 'tavla-train-'));
    try {
      const path = join(directory, 'net.json');
      writeWeightsFile(path, trained(15).checkpoint('test'));
      const resumed = Trainer.resume(readWeightsFile(path));
      for (let i = 0; i < 15; i++) resumed.trainGame();
      assert.deepEqual(runState(resumed.checkpoint('test')), runState(trained(30).checkpoint('test')));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('with targetPlies 1 learns the 1-ply judgement of its own net instead of TD returns, deterministically, and keeps the setting', () => {
    const lookahead = { ...SETTINGS, targetPlies: 1 } as const;
    const first = trained(3, lookahead).checkpoint('test');
    assert.deepEqual(runState(first), runState(trained(3, lookahead).checkpoint('test')));
    assert.notDeepEqual(first.nets, trained(3).checkpoint('test').nets);
    assert.equal(first.settings.targetPlies, 1);
  });

  it('reads a weights file written before targetPlies existed as TD training', () => {
    const directory = mkdtempSync(join(tmpdir(), 'tavla-train-'));
    try {
      const path = join(directory, 'net.json');
      const file = trained(1).checkpoint('test');
      const { targetPlies: _, ...older } = file.settings;
      writeFileSync(path, JSON.stringify({ ...file, settings: older }));
      assert.equal(readWeightsFile(path).settings.targetPlies, 0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('records its strength against pubeval in the checkpoint', () => {
    const trainer = trained(2);
    const strength = trainer.measureStrength();
    assert.equal(strength.evalGames, 4);
    assert.equal(strength.games, 2);
    assert.deepEqual(trainer.checkpoint('test').strengthHistory, [strength]);
  });
});
