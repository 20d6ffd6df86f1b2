import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestEncoding, streamName, type TitleCommand, titleDecider } from '@marquee/domain';
import {
  aggregateStream,
  type EncodeJob,
  handleCommand,
  openCheckpointStore,
  openEncodeQueue,
  openEventStore,
  type RecordedEvent,
} from '@marquee/platform';
import { makeClip } from '@marquee/platform/testing';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherCheckpoint, runDispatcher } from '../../src/jobs/dispatcher';
import { startEncodeWorker } from '../../src/jobs/encode-worker';

/*
 * Captions added to a title: the dispatcher asks for a revision of its latest encoding, the
 * worker makes it (the base's video, the captions added) and records it; a revision of the
 * published encoding goes live with its success.
 */

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rungs = [{ height: 240, videoBitrateKbps: 300 }];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = async <T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const vtt = (text: string) => `WEBVTT\n\n00:00:00.500 --> 00:00:02.000\n${text}\n`;

/** A title whose source is queued by a running dispatcher and encoded by a running worker. */
const setup = async (options: { seconds: number; concurrency?: number; attempts?: number }) => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-revise-'));
  const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
  const prefix = `test-${randomUUID()}`;
  const queue = openEncodeQueue(redisUrl, prefix) as Queue<EncodeJob>;
  const originDir = join(dir, 'origin');
  const startWorker = () => {
    const worker = startEncodeWorker(
      {
        redisUrl,
        prefix,
        originDir,
        rungs,
        concurrency: options.concurrency ?? 1,
        lockDurationMs: 30_000,
        stalledIntervalMs: 5_000,
        waitForRevisionMs: 300,
      },
      { eventStore },
    );
    cleanups.push(() => worker.close());
    return worker;
  };
  cleanups.push(
    () => eventStore.close(),
    () => checkpoints.close(),
    () => queue.close(),
    () => queue.obliterate({ force: true }),
  );
  const worker = startWorker();
  const settings = { attempts: options.attempts ?? 2, backoffMs: 100 };
  let dispatched = 0;
  const dispatch = (until?: number) => {
    const stop = new AbortController();
    const running = runDispatcher({
      eventStore,
      checkpoints,
      queue,
      redisUrl,
      settings,
      reconcileIntervalMs: 1_000,
      signal: stop.signal,
      onDispatched: (position: number) => {
        dispatched = position;
        if (until !== undefined && position >= until) stop.abort();
      },
    });
    const stopped = async () => {
      stop.abort();
      await running;
    };
    cleanups.push(stopped);
    return { stop: stopped, running };
  };

  const titleId = `t-${randomUUID().slice(0, 8)}`;
  const stream = streamName('title', titleId);
  const source = join(dir, 'source.mp4');
  await makeClip(source, { seconds: options.seconds, size: '426x240' });
  const at = new Date().toISOString();
  const probe = {
    durationSeconds: options.seconds,
    width: 426,
    height: 240,
    frameRate: 25,
    videoCodec: 'h264',
    audioCodec: 'aac',
  };
  const command = (commands: TitleCommand | TitleCommand[]) =>
    handleCommand(eventStore, stream, titleDecider, commands, { retries: 3 });
  await command([
    { type: 'CreateTitle', titleId, name: 'T', synopsis: '', genres: ['drama'], year: 2020, maturityRating: 'all', at },
    { type: 'RecordSourceUpload', uploadId: 'u1', path: source, sizeBytes: 1, sha256: 'a'.repeat(64), probe, at },
  ]);
  const events = async () => {
    const all: RecordedEvent[] = [];
    for await (const event of eventStore.readStream(stream)) all.push(event);
    return all;
  };
  const ofType = async (type: string) => (await events()).filter((e) => e.type === type);
  const addCaptions = async (language: string, text: string | null) => {
    const path = join(dir, `captions-${language}-${randomUUID()}.vtt`);
    const content = vtt(text ?? 'never written');
    if (text !== null) writeFileSync(path, content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    await command({ type: 'AddCaptions', language, path, sha256, cueCount: 1, at: new Date().toISOString() });
    return { sha256, eventId: (await ofType('CaptionsAdded')).at(-1)?.id as string };
  };
  const title = async () => (await aggregateStream(eventStore, stream, titleDecider)).state;
  return {
    dir,
    eventStore,
    checkpoints,
    queue,
    originDir,
    titleId,
    command,
    events,
    ofType,
    addCaptions,
    title,
    dispatch,
    dispatched: () => dispatched,
    worker,
    startWorker,
  };
};
type Setup = Awaited<ReturnType<typeof setup>>;

/** The title encoded and published, as a content team leaves it before adding captions. */
const published = async (s: Setup) => {
  const [succeeded] = await until(async () => {
    const found = await s.ofType('EncodingSucceeded');
    return found.length > 0 && found;
  }, 'the first encoding');
  await s.command({ type: 'PublishTitle', at: new Date().toISOString() });
  // The dispatcher has looked at that success before anything is added (else it would ask for a revision too).
  await until(async () => s.dispatched() >= (succeeded?.position ?? 0), 'the dispatcher to see the encoding');
  return succeeded?.data.encodingId as string;
};

const reviseJobs = async (queue: Queue<EncodeJob>) =>
  (await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter(
    (job) => job.data.kind === 'revise',
  );

describe('revisions', () => {
  it('captions added to a published title make one revision, which goes live, and a replay queues nothing again', async () => {
    const s = await setup({ seconds: 4 });
    const dispatcher = s.dispatch();
    const first = await published(s);

    const captions = await s.addCaptions('en', 'Hello there');
    const live = await until(async () => {
      const publications = await s.ofType('TitlePublished');
      return publications.length === 2 && publications[1];
    }, 'the revision to go live');
    const revisionId = captions.eventId;
    expect(live.data.encodingId).toBe(revisionId);
    const started = (await s.ofType('EncodingStarted')).find((e) => e.data.encodingId === revisionId);
    expect(started?.data).toMatchObject({ uploadId: 'u1', revisionOf: first });
    const succeeded = (await s.ofType('EncodingSucceeded')).find((e) => e.data.encodingId === revisionId);
    expect(succeeded?.data.tracks).toMatchObject({ captions: [{ language: 'en', sha256: captions.sha256 }] });
    expect(readdirSync(join(s.originDir, s.titleId, revisionId))).toContain('captions-en.vtt');
    // The published package before it is still there for viewers mid-way through it.
    expect(existsSync(join(s.originDir, s.titleId, first, 'manifest.mpd'))).toBe(true);
    const jobs = await reviseJobs(s.queue);
    expect(jobs.map((job) => job.id)).toEqual([revisionId]);
    // The status endpoint's data says what it is.
    expect(jobs[0]?.data).toMatchObject({ kind: 'revise', titleId: s.titleId, uploadId: 'u1', revisionOf: first });

    // A dispatcher that lost its checkpoint replays every event: it queues nothing it queued before.
    await dispatcher.stop();
    const before = (await s.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((j) => j.id);
    await s.checkpoints.delete(dispatcherCheckpoint);
    await s.dispatch(succeeded?.position).running;
    const after = (await s.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((j) => j.id);
    expect(after.sort()).toEqual(before.sort());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await s.ofType('EncodingStarted')).toHaveLength(2);
    expect(await s.ofType('TitlePublished')).toHaveLength(2);
  });

  it('captions added while the first encode runs end up in the latest package, with one revision at most', async () => {
    const s = await setup({ seconds: 20, concurrency: 2 });
    s.dispatch();
    await until(async () => {
      const [job] = await s.queue.getJobs(['active']);
      return ((job?.progress as { percent?: number } | undefined)?.percent ?? 0) > 0;
    }, 'the encode to be running');
    const captions = await s.addCaptions('fr', 'Bonjour');

    const latest = await until(async () => {
      const state = await s.title();
      const encoding = latestEncoding(state);
      const running = state.status === 'created' && state.encodings.some((e) => e.status === 'running');
      const busy = await s.queue.getJobCounts('waiting', 'delayed', 'active');
      const idle = Object.values(busy).every((count) => count === 0);
      return !running && idle && encoding;
    }, 'the encodings to settle');
    expect(latest.tracks?.captions).toEqual([{ language: 'fr', sha256: captions.sha256 }]);
    expect(readdirSync(join(s.originDir, s.titleId, latest.encodingId))).toContain('captions-fr.vtt');
    const revisions = (await s.ofType('EncodingStarted')).filter((e) => e.data.revisionOf !== undefined);
    expect(revisions.length).toBeLessThanOrEqual(1);
    expect(await s.ofType('EncodingFailed')).toEqual([]);
  });

  it('captions in two languages added at once end up both in the published package, one revision at a time', async () => {
    const s = await setup({ seconds: 4, concurrency: 2 });
    s.dispatch();
    await published(s);
    const english = await s.addCaptions('en', 'Hello');
    const french = await s.addCaptions('fr', 'Bonjour');

    const live = await until(async () => {
      const state = await s.title();
      if (state.status !== 'created' || state.encodings.some((e) => e.status === 'running')) return false;
      const busy = await s.queue.getJobCounts('waiting', 'delayed', 'active');
      if (Object.values(busy).some((count) => count > 0)) return false;
      return state.encodings.find((e) => e.encodingId === state.published?.encodingId);
    }, 'the revisions to settle');
    expect(live.status === 'succeeded' && live.tracks?.captions).toEqual(
      expect.arrayContaining([
        { language: 'en', sha256: english.sha256 },
        { language: 'fr', sha256: french.sha256 },
      ]),
    );
    // Never two revisions of the title at once: each one after the first revises the one before.
    const revisions = (await s.ofType('EncodingStarted')).filter((e) => e.data.revisionOf !== undefined);
    const ends = await s.ofType('EncodingSucceeded');
    for (const [n, revision] of revisions.entries()) {
      if (n === 0) continue;
      const previous = revisions[n - 1]?.data.encodingId;
      expect(revision.data.revisionOf).toBe(previous);
      const previousEnd = ends.find((e) => e.data.encodingId === previous);
      expect(revision.position).toBeGreaterThan(previousEnd?.position ?? Number.POSITIVE_INFINITY);
    }
    expect(await s.ofType('EncodingFailed')).toEqual([]);
  });

  it('a revision that fails is recorded as failed, and the published encoding stays live', async () => {
    const s = await setup({ seconds: 4, attempts: 2 });
    s.dispatch();
    const first = await published(s);

    // Captions whose file is gone by the time the revision reads it.
    const captions = await s.addCaptions('de', null);
    const [failed] = await until(async () => {
      const found = await s.ofType('EncodingFailed');
      return found.length > 0 && found;
    }, 'the failed revision');
    expect(failed?.data).toMatchObject({ encodingId: captions.eventId, reason: expect.any(String) });
    const started = (await s.ofType('EncodingStarted')).find((e) => e.data.encodingId === captions.eventId);
    expect(started?.data.revisionOf).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await s.ofType('TitlePublished')).map((e) => e.data.encodingId)).toEqual([first]);
    const state = await s.title();
    expect(state.status === 'created' && state.published?.encodingId).toBe(first);
    expect(existsSync(join(s.originDir, s.titleId, captions.eventId))).toBe(false);
    expect(existsSync(join(s.originDir, s.titleId, first, 'manifest.mpd'))).toBe(true);
    // Recorded once, and not tried again by the reconciler.
    expect(await s.ofType('EncodingFailed')).toHaveLength(1);
  });

  it('a revision whose job Redis lost after it started is queued again and finished, not left half recorded', async () => {
    const s = await setup({ seconds: 4 });
    s.dispatch();
    const first = await published(s);
    // No worker takes the revision's job until Redis has lost it.
    await s.worker.close();
    const captions = await s.addCaptions('en', 'Hello again');
    const queued = await until(() => s.queue.getJob(captions.eventId), 'the revise job');
    // A worker took it, recorded the start, and died; Redis then lost the job.
    await s.command({
      type: 'RecordEncodingStarted',
      encodingId: captions.eventId,
      uploadId: 'u1',
      revisionOf: first,
      at: new Date().toISOString(),
    });
    await queued.remove();
    await until(() => s.queue.getJob(captions.eventId), 'the reconciler to queue it again');

    s.startWorker();
    const live = await until(async () => (await s.ofType('TitlePublished'))[1], 'the revision to go live');
    expect(live.data.encodingId).toBe(captions.eventId);
    const succeeded = (await s.ofType('EncodingSucceeded')).find((e) => e.data.encodingId === captions.eventId);
    expect(succeeded?.data.tracks).toMatchObject({ captions: [{ language: 'en', sha256: captions.sha256 }] });
    const starts = (await s.ofType('EncodingStarted')).filter((e) => e.data.encodingId === captions.eventId);
    expect(starts).toHaveLength(1);
    expect(await s.ofType('EncodingFailed')).toEqual([]);
  });
});
