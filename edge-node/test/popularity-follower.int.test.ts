import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CheckpointStore,
  createLogger,
  type EventStore,
  openCheckpointStore,
  openEventStore,
} from '@marquee/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { popularityCheckpointId, startPopularityFollower } from '../src/popularity-follower';
import { encoded, eventually, publish, startPlay } from './edge-fixtures';

/*
 * The edge's popularity processor on a real SQLite log and a checkpoint on disk: it keeps the
 * fold with its position, so a restart goes on from there and counts each play once.
 */

let dir: string;
let store: EventStore;
let checkpoints: CheckpointStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-popularity-follower-'));
  store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  checkpoints = await openCheckpointStore(`file:${dir}`);
});
afterAll(async () => {
  await checkpoints.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const start = (onChange: () => void = () => {}) =>
  startPopularityFollower({
    eventStore: store,
    checkpoints,
    region: 'eu',
    model: { halfLifeHours: 72, newReleasePlays: 3 },
    now: () => new Date(),
    logger: createLogger('popularity-test', 'error'),
    onChange,
  });

it('ranks its region’s plays, follows new ones live, and after a restart counts each play once', async () => {
  for (const titleId of ['p-a', 'p-b']) {
    await encoded(store, titleId, 'e1', { files: 3, bytes: 1000 });
    await publish(store, titleId, 'e1');
  }
  await startPlay(store, { sessionId: 's1', titleId: 'p-b', region: 'eu' });
  await startPlay(store, { sessionId: 's2', titleId: 'p-a', region: 'us' });

  let changes = 0;
  const first = await start(() => changes++);
  await first.caughtUp;
  const scoreOf = (follower: typeof first, titleId: string) =>
    follower.demand.ranked(Date.now()).find((item) => item.titleId === titleId)?.score ?? 0;
  expect(first.demand.ranked(Date.now()).map((item) => item.titleId)).toEqual(['p-b', 'p-a']);
  expect(scoreOf(first, 'p-b')).toBeCloseTo(4, 2);

  // Live: a play appended while it runs reaches the ranking and asks the policy to plan again.
  const before = changes;
  await startPlay(store, { sessionId: 's3', titleId: 'p-a', region: 'eu' });
  await startPlay(store, { sessionId: 's4', titleId: 'p-a', region: null });
  await eventually(async () => (scoreOf(first, 'p-a') > 4.9 ? true : undefined), 5000, 'the live plays');
  expect(changes).toBeGreaterThan(before);
  await first.stop();
  const saved = await checkpoints.load(popularityCheckpointId);
  expect(saved?.position).toBeGreaterThan(0);
  // The fold is saved with the position: the eu play, the play with no region, nothing of the us one.
  const state = saved?.state as { popularity: { plays: [string, string, number, number][] } } | undefined;
  const plays = state?.popularity.plays ?? [];
  expect(plays.map(([region, titleId]) => `${region}:${titleId}`).toSorted()).toEqual(['*:p-a', 'eu:p-a', 'eu:p-b']);

  await startPlay(store, { sessionId: 's5', titleId: 'p-b', region: 'eu' });
  const second = await start();
  await second.caughtUp;
  // From the checkpoint's fold plus the one play since: replaying the log over it would count plays twice.
  expect(scoreOf(second, 'p-a')).toBeCloseTo(5, 2);
  expect(scoreOf(second, 'p-b')).toBeCloseTo(5, 2);
  expect(second.position()).toBeGreaterThan(saved?.position ?? 0);
  await second.stop();
});
