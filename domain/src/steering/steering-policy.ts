/** What steering knows of one edge when a viewer presses play. */
export type EdgeCandidate = {
  edgeId: string;
  url: string;
  region: string;
  /** A fresh heartbeat: the edge answered within its expiry. */
  healthy: boolean;
  /** The edge holds the encoding being played (filled, not merely filling). */
  holds: boolean;
  /** How busy it is: edges report the requests they had in flight at their last heartbeat. */
  load: number;
};

export type SteeringTarget =
  | { kind: 'edge'; edgeId: string; url: string; region: string }
  | { kind: 'origin'; edgeId: null; url: string; region: null };

/**
 * Whether a player should leave the edge it plays from for a less loaded one: only when its edge
 * is more than twice as busy as the best, plus one request. The one request of slack is the
 * player's own: without it two idle edges trade places at every steering refresh (load 1 against
 * 0) and the player hops between them. Twice lets the slack grow with load, so a few requests
 * more on a busy edge do not move its players.
 */
const isMuchBusier = (current: EdgeCandidate, best: EdgeCandidate): boolean => current.load > 2 * best.load + 1;

/**
 * Ranks where a viewer should fetch a title from: edges that hold it and are healthy, those in
 * the viewer's region first, then the least loaded (ties broken by id, so the order is stable).
 * The edge the viewer already plays from (`currentEdgeId`), while it holds the title and is
 * healthy, comes first among the edges as near as it is unless it is much busier than the least
 * loaded of them: being sticky stops players flapping between equal edges. The origin always
 * comes last, so a viewer can play even when no edge can serve.
 */
export const rankEdges = (input: {
  viewerRegion: string | null;
  candidates: EdgeCandidate[];
  originUrl: string;
  currentEdgeId?: string | null;
}): SteeringTarget[] => {
  const inRegion = (edge: EdgeCandidate) => (edge.region === input.viewerRegion ? 0 : 1);
  const byLoad = input.candidates
    .filter((edge) => edge.holds && edge.healthy)
    .sort((a, b) => inRegion(a) - inRegion(b) || a.load - b.load || a.edgeId.localeCompare(b.edgeId));
  const current = byLoad.find((edge) => edge.edgeId === input.currentEdgeId);
  const best = current && byLoad.find((edge) => inRegion(edge) === inRegion(current));
  const staysOn = current && best && !isMuchBusier(current, best) ? current : undefined;
  // A stable sort: only the edge the viewer stays on moves, to the front of its region's edges.
  const ranked = staysOn
    ? [...byLoad].sort((a, b) => inRegion(a) - inRegion(b) || Number(b === staysOn) - Number(a === staysOn))
    : byLoad;
  return [
    ...ranked.map(
      (edge): SteeringTarget => ({ kind: 'edge', edgeId: edge.edgeId, url: edge.url, region: edge.region }),
    ),
    { kind: 'origin', edgeId: null, url: input.originUrl, region: null },
  ];
};
