import type { LadderRung, MissClass } from '@marquee/domain';

/*
 * What each simulated session fetched, and where the simulated policy served it from. A play's
 * decision is made at its start; its bytes arrive later, in the nodes' ServingReported intervals,
 * so a session waits in this ledger until no more telemetry can come for it.
 */

/** Audio and manifests beside the video, per second: one stereo AAC track at 128 kb/s. */
const audioBitsPerSecond = 128_000;

/**
 * A session that no node reported (it played before telemetry existed, or a node lost it): the
 * bytes it would have fetched at the tallest rung it may play, for the time it watched. The
 * time watched is what its QoE report says, else how far its position moved before it stopped,
 * else the rest of the title from where it resumed; players fetch that rung most of the time.
 */
export const estimateSessionBytes = (input: {
  ladder: readonly LadderRung[] | undefined;
  maxHeight: number;
  watchedSeconds: number;
}): number => {
  const top = (input.ladder ?? [])
    .filter((rung) => rung.height <= input.maxHeight)
    .reduce<LadderRung | undefined>((best, rung) => (best && best.height >= rung.height ? best : rung), undefined);
  const videoBitsPerSecond = (top?.videoBitrateKbps ?? 0) * 1000;
  return Math.round(((videoBitsPerSecond + audioBitsPerSecond) / 8) * input.watchedSeconds);
};

export type SimulatedSession = {
  sessionId: string;
  region: string | null;
  startMs: number;
  /** Whether the play counts in the figures (inside --from/--until and --region). */
  counted: boolean;
  /** The simulated start: null when it started on an edge of its region. */
  startClass: MissClass | null;
  /** Where the simulated policy served it from at the start. */
  servedBy: 'edge' | 'origin';
  /** Whether it really started on an edge of its region (then bytes it fetched from the origin are the edge failing). */
  recordedOnEdge: boolean;
  /** Telemetry: everything nodes reported sending this session, and the part the origin sent. */
  reportedBytes: number;
  reportedOriginBytes: number;
  reported: boolean;
  /** For the estimate when no node reported it. */
  ladder: readonly LadderRung[] | undefined;
  maxHeight: number;
  durationSeconds: number;
  resumeFromSeconds: number;
  watchedSeconds: number | null;
  lastPositionSeconds: number | null;
};

export const watchedSecondsOf = (session: SimulatedSession) =>
  session.watchedSeconds ??
  (session.lastPositionSeconds !== null
    ? Math.max(0, session.lastPositionSeconds - session.resumeFromSeconds)
    : Math.max(0, session.durationSeconds - session.resumeFromSeconds));

/** The session's bytes, split as the simulated policy would have served them. */
export const settleSession = (session: SimulatedSession) => {
  const total = session.reported
    ? session.reportedBytes
    : estimateSessionBytes({
        ladder: session.ladder,
        maxHeight: session.maxHeight,
        watchedSeconds: watchedSecondsOf(session),
      });
  if (session.servedBy === 'origin')
    return { edgeBytes: 0, originBytes: total, missClass: session.startClass ?? 'health' };
  // Started on an edge: what really left an edge of its region for the origin left it in the simulation too.
  const moved = session.recordedOnEdge ? Math.min(total, session.reportedOriginBytes) : 0;
  return { edgeBytes: total - moved, originBytes: moved, missClass: 'health' as const };
};
