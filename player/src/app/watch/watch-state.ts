/*
 * What the watch page shows of a session, and what the end-to-end tests read of it
 * (window.__marquee.state). The session writes it; nothing else does.
 */
import type { PackageLocation } from './manifest';
import type { PlaybackProblem } from './playback-errors';
import { initialQoe, type QoeReport, summarizeQoe } from './qoe';

export type WatchPhase = 'starting' | 'loading' | 'playing' | 'paused' | 'buffering' | 'ended' | 'stopped' | 'failed';

export type ShownLocation = { serviceLocation: string; edgeId: string | null; baseUrl: string };

export type WatchState = {
  phase: WatchPhase;
  titleId: string;
  sessionId: string | null;
  encodingId: string | null;
  positionSeconds: number;
  resumeFromSeconds: number;
  maxHeight: number | null;
  videoBitrateCapKbps: number | null;
  /** The ranked places, in the order dash.js tries them. */
  locations: ShownLocation[];
  /** The place the manifest came from. */
  manifestFrom: string | null;
  /** The place the last segment came from. */
  servingLocation: string | null;
  /** Places whose segment requests failed after their retries (dash.js blacklists them). */
  failedLocations: string[];
  /** How often segments started coming from another place. */
  failovers: number;
  /** From the first failed request to the first answer from the next place, the last time that happened (ms). */
  lastFailoverMs: number | null;
  renderedHeight: number | null;
  renderedKbps: number | null;
  heartbeats: number;
  lastHeartbeatAt: string | null;
  /** The QoE so far, updated every second or so. */
  qoe: QoeReport;
  /** What was reported at stop. */
  qoeReported: QoeReport | null;
  playerErrors: string[];
  problem: PlaybackProblem | null;
};

export const initialWatchState = (titleId: string): WatchState => ({
  phase: 'starting',
  titleId,
  sessionId: null,
  encodingId: null,
  positionSeconds: 0,
  resumeFromSeconds: 0,
  maxHeight: null,
  videoBitrateCapKbps: null,
  locations: [],
  manifestFrom: null,
  servingLocation: null,
  failedLocations: [],
  failovers: 0,
  lastFailoverMs: null,
  renderedHeight: null,
  renderedKbps: null,
  heartbeats: 0,
  lastHeartbeatAt: null,
  qoe: summarizeQoe(initialQoe, 0),
  qoeReported: null,
  playerErrors: [],
  problem: null,
});

export const shownLocations = (locations: readonly PackageLocation[]): ShownLocation[] =>
  locations.map(({ serviceLocation, edgeId, baseUrl }) => ({ serviceLocation, edgeId, baseUrl }));
