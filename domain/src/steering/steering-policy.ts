/** What steering knows of one edge when a viewer presses play. */
export type EdgeCandidate = {
  edgeId: string;
  url: string;
  region: string;
  /** A fresh heartbeat: the edge answered within its expiry. */
  healthy: boolean;
  /** The edge holds the encoding being played (filled, not merely filling). */
  holds: boolean;
  /** How busy it is, 0 (idle) to 1 (full); any comparable measure works. */
  load: number;
};

export type SteeringTarget =
  | { kind: 'edge'; edgeId: string; url: string; region: string }
  | { kind: 'origin'; edgeId: null; url: string; region: null };

/**
 * Ranks where a viewer should fetch a title from: edges that hold it and are healthy, those in
 * the viewer's region first, then the least loaded (ties broken by id, so the order is stable).
 * The origin always comes last, so a viewer can play even when no edge can serve.
 */
export const rankEdges = (input: {
  viewerRegion: string | null;
  candidates: EdgeCandidate[];
  originUrl: string;
}): SteeringTarget[] => {
  const inRegion = (edge: EdgeCandidate) => (edge.region === input.viewerRegion ? 0 : 1);
  const ranked = input.candidates
    .filter((edge) => edge.holds && edge.healthy)
    .sort((a, b) => inRegion(a) - inRegion(b) || a.load - b.load || a.edgeId.localeCompare(b.edgeId))
    .map((edge): SteeringTarget => ({ kind: 'edge', edgeId: edge.edgeId, url: edge.url, region: edge.region }));
  return [...ranked, { kind: 'origin', edgeId: null, url: input.originUrl, region: null }];
};
