import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamName, titleDecider } from '@marquee/domain';
import {
  handleCommand,
  openCheckpointStore,
  openEncodeQueue,
  openEventStore,
  type RecordedEvent,
} from '@marquee/platform';
import { makeClip } from '@marquee/platform/testing';
import { describe, expect, it } from 'vitest';
import { runDispatcher } from '../../src/jobs/dispatcher';
import { startEncodeWorker } from '../../src/jobs/encode-worker';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('cancelling an encoding', () => {
  it('stops a running encoding when its title is unpublished, and leaves nothing in the origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-cancel-'));
    const source = join(dir, 'long.mp4');
    await makeClip(source, { seconds: 30, size: '1280x720' });
    const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
    const prefix = `test-${randomUUID()}`;
    const queue = openEncodeQueue(redisUrl, prefix);
    const originDir = join(dir, 'origin');
    const worker = startEncodeWorker(
      { redisUrl, prefix, originDir, concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 5_000 },
      { eventStore },
    );
    const stop = new AbortController();
    const dispatching = runDispatcher({
      eventStore,
      checkpoints,
      queue,
      redisUrl,
      settings: { attempts: 3, backoffMs: 100 },
      signal: stop.signal,
    });
    const titleId = 'live';
    const stream = streamName('title', titleId);
    const at = new Date().toISOString();
    const probe = {
      durationSeconds: 30,
      width: 1280,
      height: 720,
      frameRate: 25,
      videoCodec: 'h264',
      audioCodec: 'aac',
    };
    const events = async () => {
      const all: RecordedEvent[] = [];
      for await (const event of eventStore.readStream(stream)) all.push(event);
      return all;
    };
    try {
      // A title live with an earlier encoding, and a new source uploaded for it.
      await handleCommand(eventStore, stream, titleDecider, [
        {
          type: 'CreateTitle',
          titleId,
          name: 'Live',
          synopsis: '',
          genres: ['drama'],
          year: 2020,
          maturityRating: 'all',
          at,
        },
        { type: 'RecordSourceUpload', uploadId: 'old', path: source, sizeBytes: 1, sha256: 'a'.repeat(64), probe, at },
        { type: 'RecordEncodingStarted', encodingId: 'old', uploadId: 'old', at },
        {
          type: 'RecordEncodingSucceeded',
          encodingId: 'old',
          ladder: [{ width: 640, height: 360, videoBitrateKbps: 700 }],
          manifestPath: `${titleId}/old/manifest.mpd`,
          packageIndex: { files: 1, bytes: 1, sha256: 'b'.repeat(64) },
          durationSeconds: 30,
          encodeSeconds: 1,
          at,
        },
        { type: 'PublishTitle', at },
        { type: 'RecordSourceUpload', uploadId: 'new', path: source, sizeBytes: 1, sha256: 'c'.repeat(64), probe, at },
      ]);
      const deadline = Date.now() + 60_000;
      let jobId: string | undefined;
      while (Date.now() < deadline) {
        const [job] = await queue.getJobs(['active']);
        if (job && ((job.progress as { percent?: number }).percent ?? 0) > 5) {
          jobId = job.id;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(jobId, 'the new encoding to be running').toBeDefined();

      await handleCommand(eventStore, stream, titleDecider, { type: 'UnpublishTitle', at: new Date().toISOString() });
      const failedEncodings = async () => (await events()).filter((e) => e.type === 'EncodingFailed');
      // Both uploads' encodings stop: the running one, and the other one waiting its turn.
      while ((await failedEncodings()).length < 2) {
        if (Date.now() > deadline) throw new Error('the encodings were not cancelled');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const failed = (await failedEncodings()).find((e) => e.data.encodingId === jobId);
      expect(failed?.data).toMatchObject({ encodingId: jobId, reason: expect.stringMatching(/cancelled/) });
      const waiting = (await failedEncodings()).find((e) => e.data.encodingId !== jobId);
      expect(waiting?.data.reason).toMatch(/cancelled/);
      expect(await queue.getJob(waiting?.data.encodingId as string)).toBeUndefined();
      expect((await events()).some((e) => e.type === 'EncodingSucceeded' && e.data.encodingId === jobId)).toBe(false);
      expect(existsSync(join(originDir, titleId, jobId as string))).toBe(false);
      expect(readdirSync(join(originDir, '.partial'))).toEqual([]);
    } finally {
      stop.abort();
      await dispatching;
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await eventStore.close();
      await checkpoints.close();
    }
  });
});
