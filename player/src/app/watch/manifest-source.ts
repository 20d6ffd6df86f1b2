import type { RankedManifest } from './manifest';

export class NoManifestAnswered extends Error {
  constructor(readonly failures: string[]) {
    super(`No server answered with the manifest (${failures.join('; ')}).`);
    this.name = 'NoManifestAnswered';
  }
}

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Pick<Response, 'ok' | 'status' | 'text'>>;

/**
 * The manifest text from the first ranked place that answers, trying them in rank order, each
 * for at most `timeoutMs`: an edge that is down at the start costs one refused connection.
 */
export const fetchFirstManifest = async (
  manifests: readonly RankedManifest[],
  options: { timeoutMs?: number; fetch?: Fetch } = {},
): Promise<{ text: string; index: number }> => {
  const fetchManifest = options.fetch ?? ((url, init) => fetch(url, init));
  const failures: string[] = [];
  for (const [index, manifest] of manifests.entries()) {
    const where = manifest.edgeId ?? 'origin';
    try {
      const response = await fetchManifest(manifest.url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2500) });
      if (response.ok) return { text: await response.text(), index };
      failures.push(`${where}: ${response.status}`);
    } catch (error) {
      failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new NoManifestAnswered(failures);
};
