import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamName, titleDecider } from '@marquee/domain';
import {
  type EncodeJob,
  type EventStore,
  handleCommand,
  openEncodeQueue,
  openEventStore,
  type RecordedEvent,
  verifyPackage,
} from '@marquee/platform';
import { makeClip, spawnTsx } from '@marquee/platform/testing';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { startEncodeWorker } from '../../src/jobs/encode-worker';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const at = '2026-11-24T10:00:00.000Z';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const clip = (dir: string, seconds: number, size: string) =>
  makeClip(join(dir, `clip-${seconds}-${size}.mp4`), { seconds, size });

/** A title with an uploaded source and its job queued, as the command API and dispatcher leave it. */
const setup = async (source: string, probe: { width: number; height: number; durationSeconds: number }) => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-encode-'));
  const eventStoreUrl = `sqlite:${join(dir, 'events.db')}`;
  const eventStore = await openEventStore(eventStoreUrl);
  const prefix = `test-${randomUUID()}`;
  const queue = openEncodeQueue(redisUrl, prefix);
  cleanups.push(
    () => eventStore.close(),
    () => queue.close(),
    () => queue.obliterate({ force: true }),
  );
  const titleId = `t-${randomUUID().slice(0, 8)}`;
  await handleCommand(eventStore, streamName('title', titleId), titleDecider, [
    {
      type: 'CreateTitle',
      titleId,
      name: 'Clip',
      synopsis: '',
      genres: ['drama'],
      year: 2020,
      maturityRating: 'all',
      at,
    },
    {
      type: 'RecordSourceUpload',
      uploadId: 'u1',
      path: source,
      sizeBytes: 1,
      sha256: 'a'.repeat(64),
      probe: { ...probe, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
      at,
    },
  ]);
  const jobId = randomUUID();
  await queue.add(
    'encode',
    {
      titleId,
      uploadId: 'u1',
      sourcePath: source,
      probe: { ...probe, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
    },
    { jobId, attempts: 2, backoff: { type: 'exponential', delay: 200 } },
  );
  return {
    dir,
    eventStoreUrl,
    eventStore,
    prefix,
    queue: queue as Queue<EncodeJob>,
    titleId,
    jobId,
    originDir: join(dir, 'origin'),
  };
};

/** A worker in this process for the setup's queue, closed after the test. */
const workerFor = (s: { originDir: string; prefix: string; eventStore: EventStore }) => {
  const worker = startEncodeWorker(
    {
      redisUrl,
      originDir: s.originDir,
      prefix: s.prefix,
      concurrency: 1,
      lockDurationMs: 30_000,
      stalledIntervalMs: 5_000,
    },
    { eventStore: s.eventStore },
  );
  cleanups.push(() => worker.close());
  return worker;
};

const titleEvents = async (store: EventStore, titleId: string) => {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(streamName('title', titleId))) events.push(event);
  return events;
};
const until = async (condition: () => Promise<boolean>, what: string, timeoutMs = 90_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the encode worker', () => {
  it('encodes a queued source into the origin and records start and success once', async () => {
    const media = mkdtempSync(join(tmpdir(), 'marquee-media-'));
    const s = await setup(await clip(media, 4, '640x360'), { width: 640, height: 360, durationSeconds: 4 });
    workerFor(s);
    await until(
      async () => (await titleEvents(s.eventStore, s.titleId)).some((e) => e.type === 'EncodingSucceeded'),
      'the encoding',
    );
    const events = await titleEvents(s.eventStore, s.titleId);
    expect(events.map((e) => e.type)).toEqual([
      'TitleCreated',
      'SourceUploaded',
      'EncodingStarted',
      'EncodingSucceeded',
    ]);
    const succeeded = events.at(-1)?.data as { encodingId: string; manifestPath: string; ladder: { height: number }[] };
    expect(succeeded.encodingId).toBe(s.jobId);
    expect(succeeded.ladder.map((r) => r.height)).toEqual([240, 360]);
    expect(readdirSync(join(s.originDir, s.titleId, s.jobId))).toEqual(
      expect.arrayContaining(['manifest.mpd', 'index.json', 'poster.jpg']),
    );
  });

  it('records a source that cannot be read as failed with the reason, at once, and leaves no output', async () => {
    const media = mkdtempSync(join(tmpdir(), 'marquee-media-'));
    const corrupt = join(media, 'corrupt.mp4');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const s = await setup(corrupt, { width: 640, height: 360, durationSeconds: 4 });
    workerFor(s);
    await until(
      async () => (await titleEvents(s.eventStore, s.titleId)).some((e) => e.type === 'EncodingFailed'),
      'the failure',
    );
    const failed = (await titleEvents(s.eventStore, s.titleId)).at(-1);
    expect(failed?.data.reason).toMatch(/cannot be read/);
    const job = await s.queue.getJob(s.jobId);
    expect(job?.attemptsMade).toBe(1);
    const left = existsSync(s.originDir) ? readdirSync(s.originDir).filter((name) => name !== '.partial') : [];
    expect(left).toEqual([]);
  });

  it('a worker killed with SIGKILL mid-encode gives its job to another, which finishes it exactly once', async () => {
    const media = mkdtempSync(join(tmpdir(), 'marquee-media-'));
    const s = await setup(await clip(media, 30, '1280x720'), { width: 1280, height: 720, durationSeconds: 30 });
    const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
    const startWorker = () => {
      const worker = spawnTsx(script, [s.eventStoreUrl, redisUrl, s.prefix, s.originDir], { stderr: 'inherit' });
      cleanups.push(() => worker.stop('SIGKILL'));
      return worker;
    };
    const first = startWorker();
    await until(async () => {
      const progress = (await s.queue.getJob(s.jobId))?.progress as { percent?: number } | undefined;
      return (progress?.percent ?? 0) > 5;
    }, 'the first worker to be encoding');
    await first.stop('SIGKILL');
    expect((await titleEvents(s.eventStore, s.titleId)).some((e) => e.type === 'EncodingSucceeded')).toBe(false);

    const second = startWorker();
    await second.waitForLine(`completed ${s.jobId}`, 180_000);
    const types = (await titleEvents(s.eventStore, s.titleId)).map((e) => e.type);
    expect(types.filter((t) => t === 'EncodingStarted')).toHaveLength(1);
    expect(types.filter((t) => t === 'EncodingSucceeded')).toHaveLength(1);
    // The killed worker's half-written folder went with the job's second run.
    expect(readdirSync(join(s.originDir, '.partial'))).toEqual([]);
    expect(await verifyPackage(join(s.originDir, s.titleId, s.jobId))).toEqual([]);
    // Two encodes of a 30 s 720p source and a stalled-job wait: under CI's load beside the e2e suite
    // this took more than the default minute, so it has the time its own waits allow.
  }, 240_000);
});
