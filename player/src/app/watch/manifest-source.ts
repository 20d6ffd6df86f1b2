import type { Place } from './places';
import type { PlaybackEngine } from './playback-engine';

export class NoManifestAnswered extends Error {
  constructor(readonly failures: string[]) {
    super(`No server answered with the manifest (${failures.join('; ')}).`);
    this.name = 'NoManifestAnswered';
  }
}

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Pick<Response, 'ok' | 'status' | 'text'>>;

/** How long a place may take to send its manifest before the next one is asked (a hung edge at the start). */
export const manifestTimeoutMs = 2500;

/**
 * The manifest (the DASH MPD, or the HLS master) from the first ranked place that answers, trying
 * them in rank order, each for at most `timeoutMs`: an edge that is down at the start costs one
 * refused connection. The engine is then given that place's URL, and the manifest it serves names
 * every place (BaseURLs or pathways) with steering to move between them. Native HLS only: the
 * player reads the master's variants itself. dash.js fetches its manifest itself (see
 * `nextManifestAttempt`), so it is not fetched twice.
 */
export const fetchFirstManifest = async (
  places: readonly Place[],
  engine: PlaybackEngine,
  options: { timeoutMs?: number; fetch?: Fetch } = {},
): Promise<{ text: string; index: number; url: string }> => {
  const fetchManifest = options.fetch ?? ((url, init) => fetch(url, init));
  const failures: string[] = [];
  for (const [index, place] of places.entries()) {
    const url = engine === 'dash' ? place.dash : place.hls;
    try {
      const response = await fetchManifest(url, {
        signal: AbortSignal.timeout(options.timeoutMs ?? manifestTimeoutMs),
      });
      if (response.ok) return { text: await response.text(), index, url };
      failures.push(`${place.serviceLocation}: ${response.status}`);
    } catch (error) {
      failures.push(`${place.serviceLocation}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new NoManifestAnswered(failures);
};

/** The place dash.js is asking for the manifest, and what the ones ranked before it answered. */
export type ManifestAttempt = { index: number; failures: readonly string[] };

export const firstManifestAttempt: ManifestAttempt = { index: 0, failures: [] };

/**
 * The same order for dash.js, which fetches the manifest itself (handed a URL, it asks once, so
 * the manifest is fetched once): after the place it asked did not answer, the next ranked place
 * to hand it, or NoManifestAnswered when that was the last.
 */
export const nextManifestAttempt = (
  places: readonly Place[],
  attempt: ManifestAttempt,
  failure: string,
): ManifestAttempt | NoManifestAnswered => {
  const failures = [...attempt.failures, `${places[attempt.index]?.serviceLocation ?? '?'}: ${failure}`];
  const index = attempt.index + 1;
  return index < places.length ? { index, failures } : new NoManifestAnswered(failures);
};
