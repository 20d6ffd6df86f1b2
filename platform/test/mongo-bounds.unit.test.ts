import { describe, expect, it } from 'vitest';
import { checkpointConcerns, mongoCheckpointStore } from '../src/checkpoints/mongo-checkpoint-store';
import { boundedRuns } from '../src/view-store/bounded-batches';
import { mongoTransactionBound } from '../src/view-store/mongo-view-store';

describe('a batch bounded per transaction', () => {
  const sizes = (runs: number[][]) => runs.map((run) => run.length);

  it('splits by count and by bytes, in order, losing nothing', () => {
    const ops = Array.from({ length: 25 }, (_, i) => i);
    const byCount = boundedRuns(ops, { maxOperations: 10, maxBytes: 1e9 }, () => 1);
    expect(sizes(byCount)).toEqual([10, 10, 5]);
    expect(byCount.flat()).toEqual(ops);
    const byBytes = boundedRuns(ops, { maxOperations: 1000, maxBytes: 100 }, () => 30);
    expect(sizes(byBytes)).toEqual(Array.from({ length: 8 }, () => 3).concat([1]));
    expect(byBytes.flat()).toEqual(ops);
  });

  it('gives an operation larger than the bound a run of its own, and an empty batch no run', () => {
    expect(boundedRuns([1, 500, 2], { maxOperations: 10, maxBytes: 100 }, (op) => op)).toEqual([[1], [500], [2]]);
    expect(boundedRuns([], mongoTransactionBound, () => 1)).toEqual([]);
  });

  it("keeps a runner's catch-up flush (20,000 documents of ~1 KB) well inside MongoDB's limits", () => {
    const runs = boundedRuns(Array.from({ length: 20_000 }), mongoTransactionBound, () => 1024);
    expect(runs.length).toBeGreaterThanOrEqual(20);
    for (const run of runs) expect(run.length * 1024).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});

describe('MongoDB checkpoints', () => {
  it('are read with readConcern majority and written with w: majority', async () => {
    const asked: { name: string; options: unknown }[] = [];
    const collection = {
      find: () => ({ toArray: async () => [] }),
      findOne: async () => null,
      replaceOne: async () => ({}),
      deleteOne: async () => ({}),
    };
    const db = {
      collection: (name: string, options?: unknown) => {
        asked.push({ name, options });
        return collection;
      },
    } as unknown as Parameters<typeof mongoCheckpointStore>[0];
    const store = await mongoCheckpointStore(db);
    await store.save('catalog', 5);
    expect(asked.find((a) => a.name === 'checkpoints')?.options).toEqual({
      readConcern: { level: 'majority' },
      writeConcern: { w: 'majority' },
    });
    expect(checkpointConcerns).toMatchObject({ readConcern: { level: 'majority' }, writeConcern: { w: 'majority' } });
  });
});
