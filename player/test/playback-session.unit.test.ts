import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWatching } from '../src/app/watch/playback-session';
import type { ThumbnailTile } from '../src/app/watch/seek-preview';
import { initialWatchState } from '../src/app/watch/watch-state';

const folder = 'http://127.0.0.1:8101/c/abc.def/t1/e1/';

vi.mock('../src/app/api/commands', () => ({
  startPlayback: async () => ({
    sessionId: 's-1',
    titleId: 't1',
    encodingId: 'e1',
    leaseExpiresAt: null,
    manifests: [{ edgeId: 'edge-1', region: null, dash: `${folder}manifest.mpd`, hls: `${folder}master.m3u8` }],
    maxHeight: null,
    resumeFromSeconds: 0,
    token: 'abc.def',
    tokenExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  }),
  sendHeartbeat: async () => ({}),
  reportQoe: async () => ({}),
  stopPlayback: async () => ({}),
  setProfileLanguages: async () => ({}),
}));

const master = (imageStream: boolean) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-STREAM-INF:BANDWIDTH=831729,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"',
    'media-v360.m3u8',
    ...(imageStream
      ? ['', '#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=9371,RESOLUTION=160x90,CODECS="jpeg",URI="thumbnails.m3u8"']
      : []),
    '',
  ].join('\n');

// As the encoder writes it for a 30 s title (see hls-thumbnails.unit.test.ts).
const thumbnails =
  '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:50\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-IMAGES-ONLY\n#EXTINF:30.000,\n#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=2\nthumbnails-1.jpg\n#EXT-X-ENDLIST\n';

/** A video element of a browser with its own HLS and no Media Source (node has none): Safari on iOS. */
const safariVideo = () =>
  Object.assign(new EventTarget(), {
    src: '',
    currentTime: 0,
    duration: Number.NaN,
    paused: true,
    videoHeight: 0,
    error: null,
    canPlayType: (type: string) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''),
    play: async () => {},
    pause: () => {},
    load: () => {},
    removeAttribute: () => {},
  });

const watchOnNativeHls = async (withImageStream: boolean) => {
  const fetched: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    fetched.push(url);
    const body = url.endsWith('master.m3u8')
      ? master(withImageStream)
      : url.endsWith('thumbnails.m3u8')
        ? thumbnails
        : null;
    return body === null ? new Response('', { status: 404 }) : new Response(body);
  });
  const video = safariVideo();
  const state = initialWatchState('t1');
  const playback = startWatching({
    state,
    video: video as unknown as HTMLVideoElement,
    titleId: 't1',
    profileId: 'p1',
    token: 'account-token',
    durationSeconds: () => 30,
    accountId: 'a1',
    languages: Promise.resolve({ audioLanguage: null, captionLanguage: null }),
  });
  await vi.waitFor(() => expect(video.src).toBe(`${folder}master.m3u8`));
  const tileAt = (seconds: number) =>
    new Promise<ThumbnailTile | null>((resolve) => playback.thumbnailAt(seconds, resolve));
  return { playback, state, fetched, tileAt };
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a session on the browser's own HLS player", () => {
  it('shows seek previews from the image playlist the master names, the token in their URL', async () => {
    const { playback, state, fetched, tileAt } = await watchOnNativeHls(true);
    expect(state.engine).toBe('hls');
    await vi.waitFor(async () => expect(await tileAt(13)).not.toBeNull());
    // 13 s of 2 s tiles: index 6, second column, second row.
    expect(await tileAt(13)).toEqual({ url: `${folder}thumbnails-1.jpg`, x: 160, y: 90, width: 160, height: 90 });
    expect(fetched).toContain(`${folder}thumbnails.m3u8`);
    await playback.stop('viewer');
    expect(await tileAt(13)).toBeNull();
  });

  it('shows none when the master has no image stream', async () => {
    const { playback, fetched, tileAt } = await watchOnNativeHls(false);
    expect(await tileAt(13)).toBeNull();
    expect(fetched).toEqual([`${folder}master.m3u8`]);
    await playback.stop('viewer');
  });
});
