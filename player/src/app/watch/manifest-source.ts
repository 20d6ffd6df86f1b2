import type { Place } from './places';
import type { PlaybackEngine } from './playback-engine';

export class NoManifestAnswered extends Error {
  constructor(readonly failures: string[]) {
    super(`No server answered with the manifest (${failures.join('; ')}).`);
    this.name = 'NoManifestAnswered';
  }
}

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Pick<Response, 'ok' | 'status' | 'text'>>;

/**
 * The manifest (the DASH MPD, or the HLS master) from the first ranked place that answers, trying
 * them in rank order, each for at most `timeoutMs`: an edge that is down at the start costs one
 * refused connection. The engine is then given that place's URL, and the manifest it serves names
 * every place (BaseURLs or pathways) with steering to move between them.
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
      const response = await fetchManifest(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2500) });
      if (response.ok) return { text: await response.text(), index, url };
      failures.push(`${place.serviceLocation}: ${response.status}`);
    } catch (error) {
      failures.push(`${place.serviceLocation}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new NoManifestAnswered(failures);
};
