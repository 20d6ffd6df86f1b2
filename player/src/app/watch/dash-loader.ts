/*
 * dash.js (~820 kB, its own chunk) is loaded once per page life, and only where it may play: the
 * title page warms it up once the title is shown (the next step is pressing play), the watch
 * page asks for it beside POST /playback. Browsing never pays for it. Fetching and compiling it
 * is the longest step before dash.js can ask for the manifest, so it is not left until then.
 */
import { engineSupportOf, pickEngine } from './playback-engine';

export type Dashjs = typeof import('dashjs');

let loading: Promise<Dashjs> | null = null;

/** dash.js, loading or loaded; a failed load is tried again at the next call. */
export const loadDashjs = (): Promise<Dashjs> => {
  if (!loading) {
    loading = import('dashjs');
    // Reported where it is awaited; a warm-up nobody awaits must not be an unhandled rejection.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
};

/** Starts loading dash.js when this browser would play with it (MSE); native HLS never needs it. */
export const warmUpDashjs = (video: { canPlayType: (type: string) => string }): void => {
  if (pickEngine(engineSupportOf(video)) === 'dash') void loadDashjs().catch(() => {});
};
