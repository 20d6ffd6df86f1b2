/*
 * Why a viewer was not served from an edge in their region. A miss is one of three kinds, as a
 * CDN operator asks:
 * - content: no edge in the viewer's region held the title;
 * - health: an edge there held it, but it was down or overloaded;
 * - steering: an edge there held it and was healthy, but was not offered first.
 * A play is classified from its steering decision (PlaybackStarted: the holders steering saw, with
 * their health, and the edges it offered, best first). Bytes a session fetched later from the
 * origin, after starting on an edge, are health misses: players leave the edge steering gave them
 * only when it fails or is much busier than another. Bytes an edge pulled through for a viewer
 * are content misses: it had been offered without holding every file.
 */

export const missClasses = ['content', 'health', 'steering'] as const;
export type MissClass = (typeof missClasses)[number];

/** An edge that held the encoding when steering decided, as steering saw it. */
export type SteeringHolder = { edgeId: string; region: string; healthy: boolean };

export type SteeringDecision = {
  /** The viewer's region; null when the player did not say (then every region is theirs). */
  region: string | null;
  /** Edge ids offered, best first; the origin comes after them. */
  offered: readonly string[];
  holders: readonly SteeringHolder[];
};

/** How a play started: null when its first offer was an edge of its region that held the title, else the miss. */
export const classifyStart = (decision: SteeringDecision): MissClass | null => {
  const inRegion = (holder: SteeringHolder) => decision.region === null || holder.region === decision.region;
  const local = decision.holders.filter(inRegion);
  const first = decision.offered[0];
  if (first !== undefined && local.some((holder) => holder.edgeId === first)) return null;
  if (local.length === 0) return 'content';
  if (local.some((holder) => holder.healthy)) return 'steering';
  return 'health';
};

/** The class of bytes a node served a session other than from a local edge's disk. */
export const classifyMissBytes = (input: {
  /** What the session's start was classified as. */
  start: MissClass | null;
  /** Who served them: an edge pulling through, or the origin. */
  servedBy: 'edge' | 'origin';
}): MissClass => (input.servedBy === 'edge' ? 'content' : (input.start ?? 'health'));
