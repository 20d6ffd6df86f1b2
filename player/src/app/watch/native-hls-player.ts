/*
 * The browser's own HLS player (Safari, iOS), for browsers without Media Source Extensions: the
 * video element is given the master playlist's URL and plays it, steering included (the master
 * carries EXT-X-CONTENT-STEERING). Nothing can rewrite its requests, so a renewed token reaches
 * it only by a new source: `renew` swaps to the master with the fresh token and seeks back to
 * where the viewer was, the one stall renewal costs on this engine. What the video element
 * reports is turned into the same signals dash.js gives, and the seek bar's previews come from the
 * master's image playlist (see hls-thumbnails).
 */
import type { DashSignals } from './dash-player';
import { type HlsVariant, variantKbps } from './hls-master';
import { type HlsSprite, hlsTileAt } from './hls-thumbnails';
import { followNativeTracks, type TrackVideo } from './native-hls-tracks';
import type { ThumbnailTile } from './seek-preview';
import { withContentToken } from './token-in-url';
import type { LanguagePreferences } from './track-choice';

export type NativeHlsSignals = Omit<DashSignals, 'manifestFrom' | 'delivery' | 'error'> & {
  error: (error: { code: number | undefined; message: string | undefined }) => void;
};

/** The part of a video element this uses (an HTMLVideoElement has it all; tests give less). */
export type HlsVideo = {
  src: string;
  currentTime: number;
  readonly paused: boolean;
  readonly videoHeight: number;
  readonly error: { code: number; message: string } | null;
  play: () => Promise<void>;
  load: () => void;
  removeAttribute: (name: string) => void;
  addEventListener: (name: string, listener: () => void) => void;
  removeEventListener: (name: string, listener: () => void) => void;
} & Partial<TrackVideo>;

export type NativeHlsPlayer = {
  /** Plays on from the same position with a new master URL (the fresh token in its path). */
  renew: (masterUrl: string) => void;
  selectAudio: (id: string) => void;
  /** null: captions off. */
  selectCaptions: (id: string | null) => void;
  /** The tile of the thumbnail sprite for a time (the freshest token in its URL), or null when the stream has none. */
  thumbnailAt: (timeSeconds: number, answer: (tile: ThumbnailTile | null) => void) => void;
  destroy: () => void;
};

export const startNativeHls = (
  video: HlsVideo,
  options: {
    masterUrl: string;
    startAtSeconds: number;
    /** The master's variants, to put a bitrate on the height the video shows. */
    variants: readonly HlsVariant[];
    /** The profile's languages: what playback starts in. */
    languages: LanguagePreferences;
    /** The sprites of the master's image playlist, while they are fetched beside playback. */
    sprites: Promise<readonly HlsSprite[]>;
    /** The freshest content token, for the sprites' URLs (the browser fetches them, not the player). */
    contentToken: () => string;
    now: () => number;
    signals: NativeHlsSignals;
  },
): NativeHlsPlayer => {
  const { now, signals } = options;
  let seekTo: number | null = options.startAtSeconds > 0 ? options.startAtSeconds : null;
  let shownHeight = 0;
  let sprites: readonly HlsSprite[] = [];
  void options.sprites.then((fetched) => {
    sprites = fetched;
  });

  const play = () =>
    video.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') signals.notAllowed();
    });

  const listeners: [string, () => void][] = [
    [
      'loadedmetadata',
      () => {
        // A resume point, or where the viewer was before a renewal swapped the source.
        if (seekTo !== null) video.currentTime = seekTo;
        seekTo = null;
      },
    ],
    ['playing', () => signals.playback({ type: 'playing', atMs: now() })],
    ['waiting', () => signals.playback({ type: 'waiting', atMs: now() })],
    ['seeking', () => signals.playback({ type: 'seeking', atMs: now() })],
    ['seeked', () => signals.playback({ type: 'seeked', atMs: now() })],
    ['pause', () => signals.playback({ type: 'paused', atMs: now() })],
    ['timeupdate', () => signals.playback({ type: 'time-updated', atMs: now(), positionSeconds: video.currentTime })],
    [
      'resize',
      () => {
        if (!video.videoHeight || video.videoHeight === shownHeight) return;
        shownHeight = video.videoHeight;
        signals.rendered({ atMs: now(), kbps: variantKbps(options.variants, shownHeight) ?? 0, height: shownHeight });
      },
    ],
    ['ended', () => signals.ended()],
    [
      'error',
      () =>
        signals.error({ code: video.error?.code, message: video.error?.message || 'the video could not be played' }),
    ],
  ];
  for (const [name, listener] of listeners) video.addEventListener(name, listener);

  const trackVideo = video.textTracks ? { audioTracks: video.audioTracks, textTracks: video.textTracks } : null;
  const tracks = trackVideo ? followNativeTracks(trackVideo, options.languages, signals.tracks) : null;

  video.src = options.masterUrl;
  void play();

  return {
    renew: (masterUrl) => {
      const wasPaused = video.paused;
      seekTo = video.currentTime;
      // Counted as a seek, not a stall: the viewer's position does not change.
      signals.playback({ type: 'seeking', atMs: now() });
      video.src = masterUrl;
      if (!wasPaused) void play();
    },
    selectAudio: (id) => tracks?.selectAudio(id),
    selectCaptions: (id) => tracks?.selectCaptions(id),
    thumbnailAt: (timeSeconds, answer) => {
      const tile = hlsTileAt(sprites, timeSeconds);
      answer(tile ? { ...tile, url: withContentToken(tile.url, options.contentToken()) } : null);
    },
    destroy: () => {
      tracks?.stop();
      for (const [name, listener] of listeners) video.removeEventListener(name, listener);
      video.removeAttribute('src');
      video.load();
    },
  };
};
