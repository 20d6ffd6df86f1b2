/*
 * Which engine plays a title in this browser. dash.js wherever Media Source Extensions exist
 * (every desktop browser, Android); the browser's own HLS where it plays HLS and has no MSE
 * (Safari on iPhone, where only the native player gets AirPlay and the hardware's power budget).
 * ManagedMediaSource (iOS 17.1+) is left out on purpose: native HLS is the better player there.
 */

export type PlaybackEngine = 'dash' | 'hls';

export type EngineSupport = {
  /** `window.MediaSource` exists. */
  mediaSource: boolean;
  /** `video.canPlayType('application/vnd.apple.mpegurl')` is not ''. */
  nativeHls: boolean;
};

/** The engine to use, or null when the browser can play neither. */
export const pickEngine = (support: EngineSupport): PlaybackEngine | null => {
  if (support.mediaSource) return 'dash';
  if (support.nativeHls) return 'hls';
  return null;
};

/** What this browser supports, read from the page. */
export const engineSupportOf = (video: { canPlayType: (type: string) => string }): EngineSupport => ({
  // Whether MSE exists, not whether it takes a given codec: the manifest's codecs are dash.js's to check.
  mediaSource: typeof (globalThis as { MediaSource?: unknown }).MediaSource === 'function',
  nativeHls: video.canPlayType('application/vnd.apple.mpegurl') !== '',
});
