import { describe, expect, it } from 'vitest';
import type { HlsSprite } from '../src/app/watch/hls-thumbnails';
import { startNativeHls } from '../src/app/watch/native-hls-player';
import type { ThumbnailTile } from '../src/app/watch/seek-preview';

/** Just enough of a video element: its source, clock, size, and the events the browser fires. */
class FakeVideo extends EventTarget {
  src = '';
  currentTime = 0;
  paused = true;
  videoHeight = 0;
  error: { code: number; message: string } | null = null;
  plays = 0;
  refusePlay = false;
  play() {
    this.plays += 1;
    if (this.refusePlay) return Promise.reject(new DOMException('needs a click', 'NotAllowedError'));
    this.paused = false;
    return Promise.resolve();
  }
  removeAttribute(name: string) {
    if (name === 'src') this.src = '';
  }
  load() {}
  fire(name: string) {
    this.dispatchEvent(new Event(name));
  }
}

const start = (
  video: FakeVideo,
  startAtSeconds = 0,
  thumbnails: { sprites: Promise<readonly HlsSprite[]>; contentToken: () => string } = {
    sprites: Promise.resolve([]),
    contentToken: () => 'old.tok',
  },
) => {
  const seen: unknown[] = [];
  const player = startNativeHls(video, {
    ...thumbnails,
    masterUrl: 'http://127.0.0.1:8101/c/old.tok/t1/e1/master.m3u8',
    startAtSeconds,
    variants: [
      { bandwidth: 450_000, height: 240 },
      { bandwidth: 2_500_000, height: 720 },
    ],
    languages: { audioLanguage: null, captionLanguage: null },
    now: () => 1000,
    signals: {
      tracks: () => {},
      playback: (event) => seen.push(event),
      rendered: (event) => seen.push({ rendered: event }),
      notAllowed: () => seen.push('not-allowed'),
      ended: () => seen.push('ended'),
      error: (event) => seen.push({ error: event }),
    },
  });
  return { player, seen };
};

describe('the browser’s own HLS player', () => {
  it('is given the master URL, starts at the resume point once the metadata is in, and plays', async () => {
    const video = new FakeVideo();
    start(video, 42);
    expect(video.src).toBe('http://127.0.0.1:8101/c/old.tok/t1/e1/master.m3u8');
    expect(video.plays).toBe(1);
    video.fire('loadedmetadata');
    expect(video.currentTime).toBe(42);
  });

  it('reports what the video element does as the same signals dash.js gives, the height with its bitrate', () => {
    const video = new FakeVideo();
    const { seen } = start(video);
    video.fire('playing');
    video.currentTime = 3.5;
    video.fire('timeupdate');
    video.videoHeight = 720;
    video.fire('resize');
    video.fire('resize'); // the same height again is not a new rendition
    video.fire('waiting');
    video.fire('ended');
    expect(seen).toEqual([
      { type: 'playing', atMs: 1000 },
      { type: 'time-updated', atMs: 1000, positionSeconds: 3.5 },
      { rendered: { atMs: 1000, kbps: 2500, height: 720 } },
      { type: 'waiting', atMs: 1000 },
      'ended',
    ]);
  });

  it('says when the browser wants a click before playing', async () => {
    const video = new FakeVideo();
    video.refusePlay = true;
    const { seen } = start(video);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['not-allowed']);
  });

  it('on renewal, swaps to the fresh master and goes back to where the viewer was, counted as a seek', () => {
    const video = new FakeVideo();
    const { player, seen } = start(video);
    video.fire('loadedmetadata');
    video.currentTime = 61.2;
    seen.length = 0;
    player.renew('http://127.0.0.1:8101/c/new.tok/t1/e1/master.m3u8');
    expect(video.src).toBe('http://127.0.0.1:8101/c/new.tok/t1/e1/master.m3u8');
    expect(seen).toEqual([{ type: 'seeking', atMs: 1000 }]);
    expect(video.plays).toBe(2);
    video.currentTime = 0; // a new source starts at the beginning
    video.fire('loadedmetadata');
    expect(video.currentTime).toBe(61.2);
  });

  it('stays paused through a renewal when the viewer had paused', () => {
    const video = new FakeVideo();
    const { player } = start(video);
    video.paused = true;
    player.renew('http://127.0.0.1:8101/c/new.tok/t1/e1/master.m3u8');
    expect(video.plays).toBe(1);
  });

  it('lets go of the video when destroyed', () => {
    const video = new FakeVideo();
    const { player, seen } = start(video);
    player.destroy();
    expect(video.src).toBe('');
    video.fire('playing');
    expect(seen).toEqual([]);
  });

  it('shows seek previews from the image playlist once it has come, with the freshest token in their URL', async () => {
    const video = new FakeVideo();
    let arrive: (sprites: readonly HlsSprite[]) => void = () => {};
    let token = 'old.tok';
    const { player } = start(video, 0, {
      sprites: new Promise((resolve) => {
        arrive = resolve;
      }),
      contentToken: () => token,
    });
    const tileAt = (seconds: number) =>
      new Promise<ThumbnailTile | null>((resolve) => player.thumbnailAt(seconds, resolve));
    expect(await tileAt(12)).toBeNull();
    arrive([
      {
        url: 'http://127.0.0.1:8101/c/old.tok/t1/e1/thumbnails-1.jpg',
        startSeconds: 0,
        durationSeconds: 50,
        columns: 5,
        rows: 5,
        tileWidth: 160,
        tileHeight: 90,
        tileSeconds: 2,
      },
    ]);
    await Promise.resolve();
    token = 'new.tok';
    expect(await tileAt(12)).toEqual({
      url: 'http://127.0.0.1:8101/c/new.tok/t1/e1/thumbnails-1.jpg',
      x: 160,
      y: 90,
      width: 160,
      height: 90,
    });
  });
});
