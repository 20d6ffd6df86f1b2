/*
 * Quality of experience, as the player reports it when a session stops: how long the viewer
 * waited for the first frame, how often and how long playback stalled afterwards, the bitrate
 * they saw (weighted by the seconds they saw it) and how often it changed. A pure fold over
 * the playback events dash.js reports, each stamped with the time it happened.
 */
import type { QoeBody } from '../api/types';

export type QoeEvent =
  /** The session began: the manifest is being fetched. */
  | { type: 'load-started'; atMs: number }
  /** Frames are moving (the first time: startup is over; later: a stall is over). */
  | { type: 'playing'; atMs: number }
  /** Playback wants to play but has no data. */
  | { type: 'waiting'; atMs: number }
  | { type: 'seeking'; atMs: number }
  | { type: 'seeked'; atMs: number }
  | { type: 'paused'; atMs: number }
  /** A video rendition reached the screen. */
  | { type: 'quality-rendered'; atMs: number; kbps: number }
  | { type: 'time-updated'; atMs: number; positionSeconds: number };

export type QoeState = {
  startedAtMs: number | null;
  firstFrameAtMs: number | null;
  rebufferCount: number;
  rebufferMs: number;
  stalledSinceMs: number | null;
  seeking: boolean;
  switches: number;
  currentKbps: number | null;
  lastPositionSeconds: number | null;
  watchedSeconds: number;
  /** kbps × seconds watched at that bitrate. */
  bitrateSeconds: number;
};

/** What POST /playback/:sessionId/qoe takes, less the profile and the edge. */
export type QoeReport = Omit<QoeBody, 'profileId' | 'edgeId'>;

export const initialQoe: QoeState = {
  startedAtMs: null,
  firstFrameAtMs: null,
  rebufferCount: 0,
  rebufferMs: 0,
  stalledSinceMs: null,
  seeking: false,
  switches: 0,
  currentKbps: null,
  lastPositionSeconds: null,
  watchedSeconds: 0,
  bitrateSeconds: 0,
};

// A jump larger than this between two time updates is a seek, not seconds watched.
const maxPlayedStepSeconds = 2;

const endStall = (state: QoeState, atMs: number): QoeState =>
  state.stalledSinceMs === null
    ? state
    : { ...state, rebufferMs: state.rebufferMs + Math.max(0, atMs - state.stalledSinceMs), stalledSinceMs: null };

export const recordQoe = (state: QoeState, event: QoeEvent): QoeState => {
  switch (event.type) {
    case 'load-started':
      return state.startedAtMs === null ? { ...state, startedAtMs: event.atMs } : state;
    case 'playing':
      if (state.firstFrameAtMs === null) return { ...state, firstFrameAtMs: event.atMs };
      return endStall(state, event.atMs);
    case 'waiting':
      // Waiting before the first frame is startup; during a seek it is the seek's own wait.
      if (state.firstFrameAtMs === null || state.seeking || state.stalledSinceMs !== null) return state;
      return { ...state, rebufferCount: state.rebufferCount + 1, stalledSinceMs: event.atMs };
    case 'seeking':
      return { ...endStall(state, event.atMs), seeking: true };
    case 'seeked':
      return { ...state, seeking: false, lastPositionSeconds: null };
    case 'paused':
      return endStall(state, event.atMs);
    case 'quality-rendered': {
      const switched = state.currentKbps !== null && state.currentKbps !== event.kbps;
      return { ...state, currentKbps: event.kbps, switches: state.switches + (switched ? 1 : 0) };
    }
    case 'time-updated': {
      const last = state.lastPositionSeconds;
      const step = last === null || state.seeking ? 0 : event.positionSeconds - last;
      const played = step > 0 && step <= maxPlayedStepSeconds ? step : 0;
      return {
        ...state,
        lastPositionSeconds: event.positionSeconds,
        watchedSeconds: state.watchedSeconds + played,
        bitrateSeconds: state.bitrateSeconds + played * (state.currentKbps ?? 0),
      };
    }
  }
};

// The command API's limits on each figure.
const limits = { startupMs: 600_000, rebufferCount: 100_000, switches: 100_000, averageBitrateKbps: 1_000_000 };
const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));

/** The report at `nowMs`: a stall still going on counts up to now; a session that never started waited until now. */
export const summarizeQoe = (state: QoeState, nowMs: number): QoeReport => {
  const settled = endStall(state, nowMs);
  const startupMs = state.startedAtMs === null ? 0 : (state.firstFrameAtMs ?? nowMs) - state.startedAtMs;
  const averageBitrateKbps =
    settled.watchedSeconds > 0 ? settled.bitrateSeconds / settled.watchedSeconds : (settled.currentKbps ?? 0);
  return {
    startupMs: Math.round(clamp(startupMs, limits.startupMs)),
    rebufferCount: clamp(settled.rebufferCount, limits.rebufferCount),
    rebufferMs: Math.round(Math.max(0, settled.rebufferMs)),
    averageBitrateKbps: Math.round(clamp(averageBitrateKbps, limits.averageBitrateKbps) * 10) / 10,
    switches: clamp(settled.switches, limits.switches),
    watchedSeconds: Math.round(settled.watchedSeconds * 10) / 10,
  };
};

/** The place that sent the most bytes: the edge QoE is filed under (null: the origin). */
export const mostUsedEdge = (bytesByEdge: ReadonlyMap<string | null, number>): string | null => {
  let best: { edgeId: string | null; bytes: number } | undefined;
  for (const [edgeId, bytes] of bytesByEdge) if (!best || bytes > best.bytes) best = { edgeId, bytes };
  return best?.edgeId ?? null;
};
