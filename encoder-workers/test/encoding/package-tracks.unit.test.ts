import type { SourceProbe } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { audioRenditions, planAudioTracks, planThumbnails } from '../../src/encoding/package-tracks';

const probe: SourceProbe = {
  durationSeconds: 600,
  width: 1920,
  height: 1080,
  frameRate: 25,
  videoCodec: 'h264',
  audioCodec: 'aac',
  audioStreams: [
    { codec: 'aac', language: 'en', channels: 2 },
    { codec: 'aac', language: null, channels: 6 },
  ],
};

describe('planAudioTracks', () => {
  it("maps every stream of the source, then each added file as its own input; upload's languages win over tags", () => {
    const tracks = planAudioTracks({
      probe,
      audioLanguages: [null, 'fr'],
      audioTracks: [
        { trackId: 'track-de', language: 'de', path: '/uploads/de.m4a' },
        { trackId: 'track-br', language: 'pt-br', path: '/uploads/br.m4a' },
      ],
    });
    expect(tracks).toEqual([
      // null at upload means "not said": the stream's own tag still names it.
      { id: 'a0', language: 'en', trackId: null, map: '0:a:0', path: null },
      { id: 'a1', language: 'fr', trackId: null, map: '0:a:1', path: null },
      { id: 'a2', language: 'de', trackId: 'track-de', map: '1:a:0', path: '/uploads/de.m4a' },
      { id: 'a3', language: 'pt-BR', trackId: 'track-br', map: '2:a:0', path: '/uploads/br.m4a' },
    ]);
  });

  it('takes a probe from before tracks existed as one stream of unknown language, and a silent source as none', () => {
    const { audioStreams: _, ...old } = probe;
    expect(planAudioTracks({ probe: old }).map((track) => [track.map, track.language])).toEqual([['0:a:0', null]]);
    expect(planAudioTracks({ probe: { ...old, audioCodec: null } })).toEqual([]);
  });
});

describe('audioRenditions', () => {
  it('names each track by its language (unique within the package), the first main, added files dubs', () => {
    expect(
      audioRenditions([
        { id: 'a0', language: 'en', trackId: null },
        { id: 'a1', language: 'fr', trackId: null },
        { id: 'a2', language: 'fr', trackId: 't1' },
        { id: 'a3', language: null, trackId: null },
      ]),
    ).toEqual([
      { id: 'a0', language: 'en', name: 'English', role: 'main' },
      { id: 'a1', language: 'fr', name: 'French', role: 'alternate' },
      { id: 'a2', language: 'fr', name: 'French 2', role: 'dub' },
      { id: 'a3', language: null, name: 'Original audio', role: 'alternate' },
    ]);
  });
});

describe('planThumbnails', () => {
  it('takes a frame every 10 s of a long title, more often for a short one (whole seconds, at least 1)', () => {
    const interval = (durationSeconds: number) => planThumbnails({ ...probe, durationSeconds }).intervalSeconds;
    expect([interval(7200), interval(600), interval(120), interval(40), interval(6)]).toEqual([10, 10, 10, 3, 1]);
  });

  it('tiles 160 px wide frames of the source aspect (even heights) five by five', () => {
    expect(planThumbnails(probe)).toEqual({ intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 });
    expect(planThumbnails({ ...probe, width: 720, height: 576 })).toMatchObject({ tileWidth: 160, tileHeight: 128 });
    expect(planThumbnails({ ...probe, width: 100, height: 100 })).toMatchObject({ tileWidth: 100, tileHeight: 100 });
  });
});
