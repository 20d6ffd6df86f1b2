import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamName, titleDecider } from '@marquee/domain';
import {
  encodeQueueName,
  handleCommand,
  openEncodeQueue,
  openEventStore,
  type RecordedEvent,
  redisConnection,
} from '@marquee/platform';
import { spawnTsx } from '@marquee/platform/testing';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const at = '2026-11-24T10:00:00.000Z';
const probe = { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };
const script = fileURLToPath(new URL('./dispatcher-process.ts', import.meta.url));
const titles = 20;

describe('a dispatcher killed at any moment', () => {
  it('leaves one job per upload and one EncodingFailed per failed job, however often it is killed and restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-dispatcher-killed-'));
    const eventStoreUrl = `sqlite:${join(dir, 'events.db')}`;
    const args = [eventStoreUrl, `sqlite:${join(dir, 'views.db')}`, redisUrl, `test-${randomUUID()}`];
    const eventStore = await openEventStore(eventStoreUrl);
    const queue = openEncodeQueue(redisUrl, args[3]);
    const dying = new Worker(encodeQueueName, null, { connection: redisConnection(redisUrl), prefix: args[3] });
    const start = () => spawnTsx(script, args, { stderr: 'inherit' });
    try {
      for (let n = 0; n < titles; n++)
        await handleCommand(eventStore, streamName('title', `t${n}`), titleDecider, [
          {
            type: 'CreateTitle',
            titleId: `t${n}`,
            name: 'T',
            synopsis: '',
            genres: ['x'],
            year: 2020,
            maturityRating: 'all',
            at,
          },
          {
            type: 'RecordSourceUpload',
            uploadId: 'u',
            path: `/u/${n}`,
            sizeBytes: 1,
            sha256: 'a'.repeat(64),
            probe,
            at,
          },
        ]);
      const uploads: string[] = [];
      for await (const event of eventStore.readAll({ filter: { eventTypes: ['SourceUploaded'] } }))
        uploads.push(event.id);

      // Killed part way through dispatching.
      let dispatcher = start();
      await dispatcher.waitForLine(/^dispatched /, 30_000);
      await dispatcher.waitForLine(new RegExp(`^dispatched ${Math.floor(titles / 2)}`), 30_000).catch(() => {});
      await dispatcher.stop('SIGKILL');

      // Killed once caught up; meanwhile Redis loses jobs, and a worker dies having taken one.
      dispatcher = start();
      await dispatcher.waitForLine(/^reconciled /, 30_000);
      await dispatcher.stop('SIGKILL');
      const job = await dying.getNextJob('dying');
      await job?.moveToFailed(new Error('the worker ran out of memory'), 'dying');
      for (const lost of uploads.slice(-3)) await (await queue.getJob(lost))?.remove();

      // Killed at once, and again while it may be reconciling.
      for (const after of [0, 150, 400]) {
        dispatcher = start();
        await dispatcher.waitForLine(/^dispatched |^reconciled /, 30_000).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, after));
        await dispatcher.stop('SIGKILL');
      }

      // Left to run: it settles with nothing more to do.
      dispatcher = start();
      await dispatcher.waitForLine('reconciled {"requeued":[],"recordedFailed":[],"finished":[]}', 30_000);
      await dispatcher.stop('SIGTERM');

      const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
      expect(jobs.map((j) => j.id).sort()).toEqual([...uploads].sort());
      const encodingEvents: RecordedEvent[] = [];
      for await (const event of eventStore.readAll({ filter: { eventTypes: ['EncodingStarted', 'EncodingFailed'] } }))
        encodingEvents.push(event);
      expect(encodingEvents.map((e) => [e.type, e.data.encodingId])).toEqual([
        ['EncodingStarted', job?.id],
        ['EncodingFailed', job?.id],
      ]);
      expect(encodingEvents[1]?.data.reason).toMatch(/out of memory/);
    } finally {
      await dying.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await eventStore.close();
    }
  });
});
