import { randomUUID } from 'node:crypto';
import { type Job, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type EncodeJob,
  encodeQueueName,
  encodingStatusOf,
  openEncodeQueue,
  type ReviseJob,
  redisConnection,
} from '../src';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-${randomUUID()}`;
const queue = openEncodeQueue(redisUrl, prefix);
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const probe = { durationSeconds: 60, width: 1920, height: 1080, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };
const job = (titleId: string, uploadId: string): EncodeJob => ({
  titleId,
  uploadId,
  sourcePath: `/${uploadId}`,
  probe,
});

/** Runs one worker over the queue until `count` jobs have finished, each as `process` says. */
const finishJobs = async (count: number, process: (data: EncodeJob) => Promise<void>) => {
  let finished = 0;
  const worker = new Worker<EncodeJob>(encodeQueueName, (j) => process(j.data), {
    connection: redisConnection(redisUrl),
    prefix,
    autorun: false,
  });
  const done = new Promise<void>((resolve) => {
    const onFinished = () => {
      finished += 1;
      if (finished === count) resolve();
    };
    worker.on('completed', onFinished);
    worker.on('failed', onFinished);
  });
  void worker.run();
  await done;
  await worker.close();
};

describe('the encode queue as the read side sees it (encodingStatusOf)', () => {
  it("gives a title's encodings newest first: finished ones with their outcome, waiting ones with their place", async () => {
    const status = encodingStatusOf(queue);
    await queue.add('encode', job('done', 'u-ok'), { jobId: 'ok', attempts: 1 });
    await queue.add('encode', job('done', 'u-bad'), { jobId: 'bad', attempts: 1 });
    await finishJobs(2, async (data) => {
      if (data.uploadId === 'u-bad') throw new Error('not a video');
    });
    await queue.add('encode', job('other', 'u-1'), { jobId: 'other-1' });
    await queue.add('encode', job('done', 'u-again'), { jobId: 'again' });
    await (await queue.getJob('again'))?.updateProgress({ percent: 10, fps: 30, speed: 1.2, etaSeconds: 45 });

    const encodings = await status.ofTitle('done');
    // 'ok' and 'bad' may have been queued in the same millisecond: only 'again' is surely the newest.
    expect(encodings[0]?.encodingId).toBe('again');
    expect(encodings.map((e) => e.encodingId).sort()).toEqual(['again', 'bad', 'ok']);
    const byId = (id: string) => encodings.find((e) => e.encodingId === id);
    expect(byId('again')).toMatchObject({
      uploadId: 'u-again',
      state: 'waiting',
      queuePosition: 2,
      progress: { percent: 10, fps: 30, speed: 1.2, etaSeconds: 45 },
      attempts: 0,
      failedReason: null,
    });
    expect(byId('bad')).toMatchObject({
      state: 'failed',
      queuePosition: null,
      attempts: 1,
      failedReason: 'not a video',
    });
    expect(byId('ok')).toMatchObject({ state: 'completed', queuePosition: null, progress: null, failedReason: null });
    expect(Date.parse(byId('ok')?.queuedAt ?? '')).not.toBeNaN();
    expect(byId('again')).toMatchObject({ kind: 'encode', revisionOf: null });
    expect((await status.ofTitle('other')).map((e) => [e.encodingId, e.queuePosition])).toEqual([['other-1', 1]]);
    expect(await status.ofTitle('nothing')).toEqual([]);
  });

  it('says which jobs are revisions, and of what once they have started', async () => {
    const status = encodingStatusOf(queue);
    // A job queued before revisions existed has no kind: it is an encode.
    const old: EncodeJob = { titleId: 'revised', uploadId: 'u-1', sourcePath: '/u-1', probe };
    await queue.add('encode', old, { jobId: 'revised-encode' });
    const revision: ReviseJob = { kind: 'revise', titleId: 'revised' };
    await queue.add('revise', revision, { jobId: 'revised-captions' });
    const byId = async (id: string) => (await status.ofTitle('revised')).find((e) => e.encodingId === id);
    expect(await byId('revised-encode')).toMatchObject({ kind: 'encode', uploadId: 'u-1', revisionOf: null });
    expect(await byId('revised-captions')).toMatchObject({ kind: 'revision', uploadId: null, revisionOf: null });
    const queued = (await queue.getJob('revised-captions')) as Job<ReviseJob> | undefined;
    await queued?.updateData({ ...revision, uploadId: 'u-1', revisionOf: 'e-1' });
    expect(await byId('revised-captions')).toMatchObject({ kind: 'revision', uploadId: 'u-1', revisionOf: 'e-1' });
  });
});
