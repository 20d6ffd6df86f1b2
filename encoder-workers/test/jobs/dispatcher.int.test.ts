import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamName, titleDecider } from '@marquee/domain';
import { handleCommand, openCheckpointStore, openEncodeQueue, openEventStore } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import { dispatcherCheckpoint, runDispatcher } from '../../src/jobs/dispatcher';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const at = '2026-11-24T10:00:00.000Z';
const probe = { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };

const uploadSources = async (store: Awaited<ReturnType<typeof openEventStore>>, count: number) => {
  for (let n = 0; n < count; n++)
    await handleCommand(store, streamName('title', `t${n}`), titleDecider, [
      {
        type: 'CreateTitle',
        titleId: `t${n}`,
        name: `T${n}`,
        synopsis: '',
        genres: ['drama'],
        year: 2020,
        maturityRating: 'all',
        at,
      },
      {
        type: 'RecordSourceUpload',
        uploadId: `u${n}`,
        path: `/uploads/u${n}`,
        sizeBytes: 10,
        sha256: 'a'.repeat(64),
        probe,
        at,
      },
    ]);
};

const dispatchUntil = async (options: Parameters<typeof runDispatcher>[0], until: number) => {
  const stop = new AbortController();
  const running = runDispatcher({
    ...options,
    signal: stop.signal,
    onDispatched: (position) => {
      if (position >= until) stop.abort();
    },
  });
  await running;
};

describe('the dispatcher', () => {
  it('queues one job per uploaded source, its id the event id, and never twice on a replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-dispatch-'));
    const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
    const queue = openEncodeQueue(redisUrl, `test-${randomUUID()}`);
    try {
      await uploadSources(eventStore, 3);
      const head = await eventStore.headPosition();
      const settings = { attempts: 2, backoffMs: 100 };
      await dispatchUntil({ eventStore, checkpoints, queue, redisUrl, settings }, head);
      const uploads: string[] = [];
      for await (const event of eventStore.readAll({ filter: { eventTypes: ['SourceUploaded'] } }))
        uploads.push(event.id);
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
      expect(jobs.map((job) => job.id).sort()).toEqual([...uploads].sort());
      expect(jobs.find((job) => job.data.uploadId === 'u1')?.data).toMatchObject({
        titleId: 't1',
        sourcePath: '/uploads/u1',
        probe,
      });
      expect(jobs[0]?.opts).toMatchObject({ attempts: 2, backoff: { type: 'exponential', delay: 100 } });
      expect((await checkpoints.load(dispatcherCheckpoint))?.position).toBe(head);

      // Lost checkpoint (a crash between queueing and checkpointing): the replay queues nothing new.
      await checkpoints.delete(dispatcherCheckpoint);
      await dispatchUntil({ eventStore, checkpoints, queue, redisUrl, settings }, head);
      expect(await queue.count()).toBe(3);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await eventStore.close();
      await checkpoints.close();
    }
  });
});
