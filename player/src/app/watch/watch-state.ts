/*
 * What the watch page shows of a session, and what the end-to-end tests read of it
 * (window.__marquee.state). The session writes it; nothing else does.
 */

import { noTracks, type PlayerTracks } from './dash-tracks';
import { type Place, packageFolderOf } from './places';
import type { PlaybackEngine } from './playback-engine';
import type { PlaybackProblem } from './playback-errors';
import { initialQoe, type QoeReport, summarizeQoe } from './qoe';
import type { LanguagePreferences } from './track-choice';

export type WatchPhase = 'starting' | 'loading' | 'playing' | 'paused' | 'buffering' | 'ended' | 'stopped' | 'failed';

export type ShownLocation = {
  serviceLocation: string;
  edgeId: string | null;
  /** The package folder on that place, with the first token in its path. */
  baseUrl: string;
  dash: string;
  hls: string;
};

export type WatchState = {
  phase: WatchPhase;
  titleId: string;
  sessionId: string | null;
  encodingId: string | null;
  positionSeconds: number;
  resumeFromSeconds: number;
  /** The plan's height cap: the server lists no taller rung in the manifest and refuses its segments. */
  maxHeight: number | null;
  /** dash.js, or the browser's own HLS player (Safari and iOS, no Media Source Extensions). */
  engine: PlaybackEngine | null;
  /** The ranked places, as POST /playback gave them (the server writes them in that order). */
  locations: ShownLocation[];
  /** The place the manifest came from. */
  manifestFrom: string | null;
  /**
   * The place (pathway, the BaseURL's serviceLocation) the last media segment came from. On
   * native HLS, where requests cannot be seen, the place the master came from.
   */
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
  /** How many heartbeats brought a fresh content token. */
  tokenRenewals: number;
  /** When the freshest content token runs out. */
  tokenExpiresAt: string | null;
  /** Native HLS only: how often the source was swapped to a fresh token (a short stall each). */
  sourceSwaps: number;
  /** The QoE so far, updated every second or so. */
  qoe: QoeReport;
  /** What was reported at stop. */
  qoeReported: QoeReport | null;
  playerErrors: string[];
  problem: PlaybackProblem | null;
  /** The stream's audio and caption tracks, and the ones playing. */
  tracks: PlayerTracks;
  /** The profile's languages, as playback started and as the viewer's picks changed them. */
  languages: LanguagePreferences | null;
  /** Why the last pick could not be remembered for the profile (playback goes on regardless). */
  languagesProblem: string | null;
};

export const initialWatchState = (titleId: string): WatchState => ({
  phase: 'starting',
  titleId,
  sessionId: null,
  encodingId: null,
  positionSeconds: 0,
  resumeFromSeconds: 0,
  maxHeight: null,
  engine: null,
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
  tokenRenewals: 0,
  tokenExpiresAt: null,
  sourceSwaps: 0,
  qoe: summarizeQoe(initialQoe, 0),
  qoeReported: null,
  playerErrors: [],
  problem: null,
  tracks: noTracks,
  languages: null,
  languagesProblem: null,
});

export const shownLocations = (places: readonly Place[]): ShownLocation[] =>
  places.map(({ serviceLocation, edgeId, dash, hls }) => ({
    serviceLocation,
    edgeId,
    baseUrl: packageFolderOf(dash),
    dash,
    hls,
  }));
