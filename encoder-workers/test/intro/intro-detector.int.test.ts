import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seriesDecider, streamName, titleDecider } from '@marquee/domain';
import {
  aggregateStream,
  type EventStore,
  handleCommand,
  openCheckpointStore,
  openEventStore,
} from '@marquee/platform';
import { makeEpisodeClip } from '@marquee/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { introDetectorCheckpoint, runIntroDetector } from '../../src/intro/intro-detector';

const at = '2026-11-24T10:00:00.000Z';
const metadata = { synopsis: '', genres: ['drama'], year: 2026, maturityRating: 'all' as const };
const durationSeconds = 60;
const dir = mkdtempSync(join(tmpdir(), 'marquee-intro-detector-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An episode of series s1 whose source was uploaded and encoded (the encoding itself is only recorded). */
const encodedEpisode = async (store: EventStore, episode: number, coldOpenSeconds: number) => {
  const titleId = `ep${episode}`;
  const path = await makeEpisodeClip(join(dir, `${titleId}.m4a`), {
    coldOpenSeconds,
    introSeconds: 10,
    contentSeconds: durationSeconds - 10 - coldOpenSeconds,
    variant: episode,
  });
  await handleCommand(store, streamName('series', 's1'), seriesDecider, {
    type: 'AddEpisode',
    titleId,
    season: 1,
    episode,
    at,
  });
  const probe = { durationSeconds, width: 160, height: 90, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };
  const title = streamName('title', titleId);
  await handleCommand(store, title, titleDecider, [
    {
      type: 'CreateTitle',
      titleId,
      episodeOf: { seriesId: 's1', season: 1, episode },
      name: `E${episode}`,
      ...metadata,
      at,
    },
    { type: 'RecordSourceUpload', uploadId: `u${episode}`, path, sizeBytes: 1, sha256: '0'.repeat(64), probe, at },
  ]);
  let encodingId = '';
  for await (const event of store.readStream(title)) if (event.type === 'SourceUploaded') encodingId = event.id;
  await handleCommand(store, title, titleDecider, [
    { type: 'RecordEncodingStarted', encodingId, uploadId: `u${episode}`, at },
    {
      type: 'RecordEncodingSucceeded',
      encodingId,
      ladder: [{ height: 90, width: 160, videoBitrateKbps: 200 }],
      manifestPath: `${titleId}/${encodingId}/manifest.mpd`,
      packageIndex: { files: 1, bytes: 1, sha256: '0'.repeat(64) },
      durationSeconds,
      encodeSeconds: 1,
      at,
    },
  ]);
};

const proposals = async (store: EventStore) => {
  const proposed: { titleId: string; startSeconds: number; endSeconds: number }[] = [];
  for await (const event of store.readAll({ filter: { eventTypes: ['IntroProposed'] } })) {
    const { titleId, intro } = event.data as { titleId: string; intro: { startSeconds: number; endSeconds: number } };
    proposed.push({ titleId, ...intro });
  }
  return proposed;
};

const detectUntil = async (options: Omit<Parameters<typeof runIntroDetector>[0], 'signal'>, until: number) => {
  const stop = new AbortController();
  await runIntroDetector({
    ...options,
    signal: stop.signal,
    onDetected: (position) => {
      if (position >= until) stop.abort();
    },
  });
};

describe('the intro detector', () => {
  it("proposes each encoded episode's intro once its season has two, once, and not again after a restart", async () => {
    const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
    try {
      await handleCommand(eventStore, streamName('series', 's1'), seriesDecider, {
        type: 'CreateSeries',
        seriesId: 's1',
        name: 'S',
        ...metadata,
        at,
      });
      await encodedEpisode(eventStore, 1, 0);
      await detectUntil({ eventStore, checkpoints }, await eventStore.headPosition());
      // One encoded episode: nothing to compare it with.
      expect(await proposals(eventStore)).toEqual([]);

      await encodedEpisode(eventStore, 2, 4);
      await encodedEpisode(eventStore, 3, 7);
      const head = await eventStore.headPosition();
      await detectUntil({ eventStore, checkpoints }, head);
      const proposed = await proposals(eventStore);
      expect(proposed.map((p) => p.titleId).sort()).toEqual(['ep1', 'ep2', 'ep3']);
      for (const [titleId, start] of [
        ['ep1', 0],
        ['ep2', 4],
        ['ep3', 7],
      ] as const) {
        const intro = proposed.find((p) => p.titleId === titleId);
        expect(Math.abs((intro?.startSeconds ?? -9) - start), titleId).toBeLessThanOrEqual(1);
        expect(Math.abs((intro?.endSeconds ?? -9) - (start + 10)), titleId).toBeLessThanOrEqual(1);
      }
      const { state } = await aggregateStream(eventStore, streamName('title', 'ep2'), titleDecider);
      expect(state.status === 'created' && state.introProposal).toBeTruthy();

      // A restart that lost its checkpoint (killed before saving it) replays everything: nothing new.
      await checkpoints.delete(introDetectorCheckpoint);
      await detectUntil({ eventStore, checkpoints }, head);
      expect(await proposals(eventStore)).toHaveLength(3);
      expect((await checkpoints.load(introDetectorCheckpoint))?.position).toBe(head);
    } finally {
      await eventStore.close();
      await checkpoints.close();
    }
  });
});
