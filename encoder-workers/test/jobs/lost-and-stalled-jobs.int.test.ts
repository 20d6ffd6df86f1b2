import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamName, titleDecider } from '@marquee/domain';
import {
  type EventStore,
  encodeQueueName,
  handleCommand,
  type Logger,
  openCheckpointStore,
  openEncodeQueue,
  openEventStore,
  type RecordedEvent,
  redisConnection,
} from '@marquee/platform';
import { startOwnRedis } from '@marquee/platform/testing';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherCheckpoint, runDispatcher } from '../../src/jobs/dispatcher';
import { startEncodeWorker } from '../../src/jobs/encode-worker';

/*
 * The two ways an encoding used to get stuck: BullMQ failing a job by itself (stalled too often)
 * with no EncodingFailed, and Redis losing a job after the dispatcher had moved past it.
 */

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const at = '2026-11-24T10:00:00.000Z';
const probe = { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = async <T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A title with an uploaded source; the upload's event id is its job's and its encoding's id. */
const setup = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-reconcile-'));
  const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
  const prefix = `test-${randomUUID()}`;
  const queue = openEncodeQueue(redisUrl, prefix);
  cleanups.push(
    () => eventStore.close(),
    () => checkpoints.close(),
    () => queue.close(),
    () => queue.obliterate({ force: true }),
  );
  const titleId = `t-${randomUUID().slice(0, 8)}`;
  const stream = streamName('title', titleId);
  await handleCommand(eventStore, stream, titleDecider, [
    { type: 'CreateTitle', titleId, name: 'T', synopsis: '', genres: ['drama'], year: 2020, maturityRating: 'all', at },
    {
      type: 'RecordSourceUpload',
      uploadId: 'u1',
      path: join(dir, 'missing.mp4'),
      sizeBytes: 1,
      sha256: 'a'.repeat(64),
      probe,
      at,
    },
  ]);
  const events = async () => {
    const all: RecordedEvent[] = [];
    for await (const event of eventStore.readStream(stream)) all.push(event);
    return all;
  };
  const jobId = (await events()).find((e) => e.type === 'SourceUploaded')?.id as string;
  return { dir, eventStore, checkpoints, prefix, queue, titleId, stream, events, jobId };
};
type Setup = Awaited<ReturnType<typeof setup>>;

/** The dispatcher, running until the test ends (or `stop`). */
const dispatcher = (s: Setup, options: { attempts?: number; reconcileIntervalMs?: number } = {}) => {
  const stop = new AbortController();
  const running = runDispatcher({
    eventStore: s.eventStore,
    checkpoints: s.checkpoints,
    queue: s.queue,
    redisUrl,
    settings: { attempts: options.attempts ?? 3, backoffMs: 100 },
    reconcileIntervalMs: options.reconcileIntervalMs ?? 60_000,
    signal: stop.signal,
  });
  const stopped = async () => {
    stop.abort();
    await running;
  };
  cleanups.push(stopped);
  return { stop: stopped };
};

/** Takes jobs as a worker that dies would: its lock is never renewed, so BullMQ finds it stalled. */
const dyingWorker = (s: Setup) => {
  const worker = new Worker(encodeQueueName, null, {
    connection: redisConnection(redisUrl),
    prefix: s.prefix,
    lockDuration: 200,
    stalledInterval: 150,
    // As the encode workers: a job is given back after two stalls and failed at the third.
    maxStalledCount: 2,
  });
  cleanups.push(() => worker.close());
  return worker;
};

const jobState = async (s: Setup) => (await s.queue.getJob(s.jobId))?.getState();

describe('encode jobs that BullMQ fails by itself', () => {
  it('a job whose worker keeps dying past the stall limit ends with EncodingFailed naming why', async () => {
    const s = await setup();
    // The worker that died had recorded the start.
    await handleCommand(s.eventStore, s.stream, titleDecider, {
      type: 'RecordEncodingStarted',
      encodingId: s.jobId,
      uploadId: 'u1',
      at,
    });
    await s.queue.add(
      'encode',
      { titleId: s.titleId, uploadId: 'u1', sourcePath: join(s.dir, 'missing.mp4'), probe },
      { jobId: s.jobId, attempts: 3 },
    );
    const dying = dyingWorker(s);
    void dying.startStalledCheckTimer();
    for (let stall = 1; stall <= 3; stall++) {
      const job = await dying.getNextJob('dying');
      expect(job?.id).toBe(s.jobId);
      await until(async () => (await jobState(s)) === 'waiting', `stall ${stall}`);
    }
    await dying.close();

    startEncodeWorkerFor(s);
    await until(async () => (await jobState(s)) === 'failed', 'BullMQ to fail the job');
    const failed = await until(
      async () => (await s.events()).find((e) => e.type === 'EncodingFailed'),
      'EncodingFailed',
    );
    expect(failed.data).toMatchObject({ encodingId: s.jobId, reason: expect.stringMatching(/stalled|stopped/) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await s.events()).filter((e) => e.type === 'EncodingFailed')).toHaveLength(1);
  });

  it('a job failed in BullMQ without its EncodingFailed gets it when the dispatcher starts', async () => {
    const s = await setup();
    const first = dispatcher(s, { attempts: 1 });
    await until(() => s.queue.getJob(s.jobId), 'the job to be queued');
    await first.stop();
    // Its worker took it and died before it could record anything, and BullMQ failed it.
    const dying = dyingWorker(s);
    const job = await dying.getNextJob('dying');
    await job?.moveToFailed(new Error('the worker ran out of memory'), 'dying');
    expect(await jobState(s)).toBe('failed');

    dispatcher(s, { attempts: 1 });
    const failed = await until(
      async () => (await s.events()).find((e) => e.type === 'EncodingFailed'),
      'EncodingFailed',
    );
    expect(failed.data).toMatchObject({ encodingId: s.jobId, reason: expect.stringMatching(/out of memory/) });
    expect((await s.events()).map((e) => e.type)).toEqual([
      'TitleCreated',
      'SourceUploaded',
      'EncodingStarted',
      'EncodingFailed',
    ]);
  });
});

describe('encode jobs that Redis lost', () => {
  it('a job lost after the dispatcher moved past it is queued again when the dispatcher starts, once', async () => {
    const s = await setup();
    const first = dispatcher(s);
    const queued = await until(() => s.queue.getJob(s.jobId), 'the job to be queued');
    await first.stop();
    expect((await s.checkpoints.load(dispatcherCheckpoint))?.position).toBe(await s.eventStore.headPosition());
    await queued.remove();

    const second = dispatcher(s);
    const again = await until(() => s.queue.getJob(s.jobId), 'the job to be queued again');
    expect(again.data).toEqual(queued.data);
    await second.stop();
    const third = dispatcher(s);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await third.stop();
    expect(await s.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(1);
  });

  it('a job lost while the dispatcher runs is queued again at its next look', async () => {
    const s = await setup();
    dispatcher(s, { reconcileIntervalMs: 200 });
    const queued = await until(() => s.queue.getJob(s.jobId), 'the job to be queued');
    await queued.remove();
    await until(() => s.queue.getJob(s.jobId), 'the job to be queued again');
  });

  it('a dispatcher upgraded from one that kept no list of pending encodings finds them in the log', async () => {
    const s = await setup();
    // An older dispatcher moved past the upload and kept only its position.
    await s.checkpoints.save(dispatcherCheckpoint, await s.eventStore.headPosition());
    dispatcher(s);
    await until(() => s.queue.getJob(s.jobId), 'the job to be queued');
  });

  it('an encoding that ended is not queued again', async () => {
    const s = await setup();
    await handleCommand(s.eventStore, s.stream, titleDecider, {
      type: 'RecordEncodingFailed',
      encodingId: s.jobId,
      uploadId: 'u1',
      reason: 'the source cannot be read',
      at,
    });
    await s.checkpoints.save(dispatcherCheckpoint, await s.eventStore.headPosition());
    dispatcher(s, { reconcileIntervalMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await s.queue.getJob(s.jobId)).toBeUndefined();
  });
});

describe('cancelling a waiting encoding', () => {
  it('records it as failed, so it is never queued again', async () => {
    const s = await setup();
    await handleCommand(s.eventStore, s.stream, titleDecider, [
      { type: 'RecordSourceUpload', uploadId: 'old', path: 'old.mp4', sizeBytes: 1, sha256: 'b'.repeat(64), probe, at },
      { type: 'RecordEncodingStarted', encodingId: 'old', uploadId: 'old', at },
      {
        type: 'RecordEncodingSucceeded',
        encodingId: 'old',
        ladder: [{ width: 640, height: 360, videoBitrateKbps: 700 }],
        manifestPath: `${s.titleId}/old/manifest.mpd`,
        packageIndex: { files: 1, bytes: 1, sha256: 'c'.repeat(64) },
        durationSeconds: 6,
        encodeSeconds: 1,
        at,
      },
      { type: 'PublishTitle', at },
    ]);
    dispatcher(s, { reconcileIntervalMs: 100 });
    await until(() => s.queue.getJob(s.jobId), 'the job to be queued');
    await handleCommand(s.eventStore, s.stream, titleDecider, { type: 'UnpublishTitle', at });
    const failed = await until(
      async () => (await s.events()).find((e) => e.type === 'EncodingFailed'),
      'EncodingFailed',
    );
    expect(failed.data).toMatchObject({ encodingId: s.jobId, reason: expect.stringMatching(/cancelled/) });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await s.queue.getJob(s.jobId)).toBeUndefined();
  });
});

const startEncodeWorkerFor = (s: Setup) => {
  const worker = startEncodeWorker(
    {
      redisUrl,
      prefix: s.prefix,
      originDir: join(s.dir, 'origin'),
      concurrency: 1,
      lockDurationMs: 30_000,
      stalledIntervalMs: 5_000,
    },
    { eventStore: s.eventStore as EventStore },
  );
  cleanups.push(() => worker.close());
  return worker;
};

describe('a Redis outage', () => {
  it('is logged once while it lasts, and the jobs Redis lost are queued again when it is back', async () => {
    // A Redis of the test's own, without persistence: a restart loses every job.
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const ownRedisUrl = redis.url;
    const s = await setup();
    const queue = openEncodeQueue(ownRedisUrl, s.prefix);
    cleanups.push(() => queue.close());
    const logged: { level: string; message: string }[] = [];
    const logger = Object.fromEntries(
      ['info', 'warn', 'error'].map((level) => [
        level,
        // pino's two forms: (fields, message) and (message).
        (...args: unknown[]) => logged.push({ level, message: String(args.at(-1)) }),
      ]),
    ) as unknown as Logger;
    const stop = new AbortController();
    const running = runDispatcher({
      eventStore: s.eventStore,
      checkpoints: s.checkpoints,
      queue,
      redisUrl: ownRedisUrl,
      settings: { attempts: 3, backoffMs: 100 },
      reconcileIntervalMs: 200,
      logger,
      signal: stop.signal,
    });
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    await until(() => queue.getJob(s.jobId), 'the job to be queued');

    await redis.restart(3000);
    const outage = logged.filter((line) => line.level === 'error');
    expect(outage.map((line) => line.message)).toEqual([expect.stringMatching(/Redis does not answer/)]);

    await until(() => queue.getJob(s.jobId), 'the job to be queued again', 20_000);
    await until(async () => logged.some((line) => /again/.test(line.message) && line.level === 'info'), 'the recovery');
    expect(logged.filter((line) => line.level === 'error')).toHaveLength(1);
  });
});
