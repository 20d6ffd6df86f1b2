import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpointStore } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import { adoptOldFillCheckpoint, fillCheckpointId } from '../src/fill-agent';

const oldCheckpoint = {
  position: 42,
  pending: [{ titleId: 't1', encodingId: 'e1', reason: 'published', queuedAt: '2026-11-01T00:00:00.000Z' }],
  withdrawn: ['t0/e0'],
};

describe("an edge upgraded from the fill agent's own checkpoint file", () => {
  it('goes on from its old position with its waiting publishes, and the old file goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-fill-upgrade-'));
    const oldFile = join(dir, 'fill-checkpoint.json');
    writeFileSync(oldFile, JSON.stringify(oldCheckpoint));
    const checkpoints = await openCheckpointStore(`file:${dir}`);
    expect(await adoptOldFillCheckpoint(oldFile, checkpoints)).toBe(true);
    const adopted = await checkpoints.load(fillCheckpointId);
    expect(adopted?.position).toBe(42);
    expect(adopted?.state).toEqual({ pending: oldCheckpoint.pending, withdrawn: oldCheckpoint.withdrawn });
    expect(existsSync(oldFile)).toBe(false);
    // Started again: nothing to carry over, and the checkpoint stays as it is.
    expect(await adoptOldFillCheckpoint(oldFile, checkpoints)).toBe(false);
    expect((await checkpoints.load(fillCheckpointId))?.position).toBe(42);
  });

  it('never moves a newer checkpoint back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-fill-upgrade-'));
    const oldFile = join(dir, 'fill-checkpoint.json');
    writeFileSync(oldFile, JSON.stringify(oldCheckpoint));
    const checkpoints = await openCheckpointStore(`file:${dir}`);
    await checkpoints.save(fillCheckpointId, 100, { pending: [], withdrawn: [] });
    await adoptOldFillCheckpoint(oldFile, checkpoints);
    expect((await checkpoints.load(fillCheckpointId))?.position).toBe(100);
    expect(existsSync(oldFile)).toBe(false);
  });
});
