/*
 * One viewing session, from the press of play to stop: POST /playback for a stream slot and
 * the ranked places, the manifest from the first place that answers with every place written
 * in as a BaseURL, dash.js capped to the plan's height and started at the resume position,
 * heartbeats every 10 s and on pause, and at the end the QoE report and the stop that gives
 * the slot back. The state it keeps is what the watch page shows and the end-to-end tests read.
 */
import type { MediaPlayerClass } from 'dashjs';
import { reportQoe, sendHeartbeat, startPlayback, stopPlayback } from '../api/commands';
import { ApiError } from '../api/http';
import {
  demoteUnanswered,
  locationOf,
  type PackageLocation,
  packageLocations,
  videoBitrateCapKbps,
  videoRepresentations,
  withBaseUrls,
  withContentToken,
} from './manifest';
import { fetchFirstManifest } from './manifest-source';
import { describePlaybackProblem, describePlayerFailure, type PlaybackProblem } from './playback-errors';
import { isRecoverablePlayerError, playerSettings } from './player-settings';
import { initialQoe, mostUsedEdge, type QoeEvent, type QoeReport, recordQoe, summarizeQoe } from './qoe';

export const heartbeatIntervalMs = 10_000;

export type WatchPhase = 'starting' | 'loading' | 'playing' | 'paused' | 'buffering' | 'ended' | 'stopped' | 'failed';

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
  locations: { serviceLocation: string; edgeId: string | null; baseUrl: string }[];
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

export type StopReason = 'viewer' | 'ended' | 'left' | 'unload';

export type Playback = {
  /** The dash.js player, once it exists. */
  readonly player: MediaPlayerClass | null;
  /** Reports QoE, stops the session and tears the player down; safe to call more than once. */
  stop: (reason: StopReason) => Promise<void>;
};

type Options = {
  state: WatchState;
  video: HTMLVideoElement;
  titleId: string;
  profileId: string;
  token: string;
  /** The title's length from the catalog: heartbeats never claim a position past it. */
  durationSeconds: number | null;
};

const sessionOverCodes = new Set(['PlaybackSessionExpired', 'SessionStopped', 'SessionNotFound']);

const byteLengthOf = (data: unknown): number => {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === 'string') return data.length;
  return 0;
};

/** Starts a session and returns at once; the handle can stop it at any point, even before it plays. */
export const startWatching = (options: Options): Playback => {
  const { state, video, profileId, token } = options;
  let player: MediaPlayerClass | null = null;
  let manifestObjectUrl: string | null = null;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let qoeTimer: ReturnType<typeof setInterval> | undefined;
  let qoe = recordQoe(initialQoe, { type: 'load-started', atMs: performance.now() });
  let over = false;
  const bytesByEdge = new Map<string | null, number>();
  /** When requests began failing, since the last one that succeeded. */
  let failingSince: number | null = null;

  const record = (event: QoeEvent) => {
    qoe = recordQoe(qoe, event);
  };

  const position = () => {
    // Until the first frame the video is not where the viewer is yet: they are at the resume point.
    if (qoe.firstFrameAtMs === null) return state.resumeFromSeconds;
    const limit =
      options.durationSeconds ?? (Number.isFinite(video.duration) ? video.duration : Number.POSITIVE_INFINITY);
    const seconds = Number.isFinite(video.currentTime) ? Math.min(video.currentTime, limit) : 0;
    return Math.max(0, Math.floor(seconds * 10) / 10);
  };

  const teardown = () => {
    clearInterval(heartbeatTimer);
    clearInterval(qoeTimer);
    try {
      player?.destroy();
    } catch {
      // A player that failed half-way may not tear down cleanly; it is gone either way.
    }
    if (manifestObjectUrl) URL.revokeObjectURL(manifestObjectUrl);
    manifestObjectUrl = null;
  };

  const stop = async (reason: StopReason, problem: PlaybackProblem | null = null) => {
    if (over) return;
    over = true;
    const sessionId = state.sessionId;
    const positionSeconds = reason === 'ended' && options.durationSeconds ? options.durationSeconds : position();
    const report = summarizeQoe(qoe, performance.now());
    teardown();
    state.positionSeconds = positionSeconds;
    state.qoe = report;
    state.phase = problem ? 'failed' : reason === 'ended' ? 'ended' : 'stopped';
    if (problem) state.problem = problem;
    if (!sessionId) return;
    const keepalive = reason === 'unload';
    const edgeId = mostUsedEdge(bytesByEdge);
    state.qoeReported = report;
    // Both are sent even when one fails: the QoE is worth having, and the slot must go back.
    await Promise.allSettled([
      reportQoe(token, sessionId, { profileId, edgeId, ...report }, { keepalive }),
      stopPlayback(token, sessionId, { profileId, positionSeconds }, { keepalive }),
    ]);
  };

  const heartbeat = async () => {
    const sessionId = state.sessionId;
    if (over || !sessionId) return;
    try {
      await sendHeartbeat(token, sessionId, { profileId, positionSeconds: position() });
      state.heartbeats += 1;
      state.lastHeartbeatAt = new Date().toISOString();
    } catch (error) {
      if (error instanceof ApiError && (sessionOverCodes.has(error.code) || error.status === 401)) {
        video.pause();
        await stop('viewer', describePlaybackProblem(error));
      }
      // Anything else (the network, a busy API) is tried again at the next beat.
    }
  };

  const handle: Playback = {
    get player() {
      return player;
    },
    stop: (reason) => stop(reason),
  };

  const run = async () => {
    // 1. A stream slot, the ranked places and the token.
    let started: Awaited<ReturnType<typeof startPlayback>>;
    try {
      started = await startPlayback(token, { profileId, titleId: options.titleId });
    } catch (error) {
      if (over) return;
      over = true;
      state.phase = 'failed';
      state.problem = describePlaybackProblem(
        error instanceof ApiError ? error : { message: error instanceof Error ? error.message : String(error) },
      );
      return;
    }
    if (over) {
      // The viewer left while the slot was being granted: give it straight back.
      await stopPlayback(
        token,
        started.sessionId,
        { profileId, positionSeconds: started.resumeFromSeconds },
        { keepalive: true },
      ).catch(() => {});
      return;
    }
    let locations: PackageLocation[] = packageLocations(started.manifests);
    Object.assign(state, {
      phase: 'loading',
      sessionId: started.sessionId,
      encodingId: started.encodingId,
      resumeFromSeconds: started.resumeFromSeconds,
      positionSeconds: started.resumeFromSeconds,
      maxHeight: started.maxHeight,
      locations: locations.map(({ serviceLocation, edgeId, baseUrl }) => ({ serviceLocation, edgeId, baseUrl })),
    } satisfies Partial<WatchState>);

    // 2. The manifest, with every place in it.
    let manifest: string;
    try {
      const fetched = await fetchFirstManifest(started.manifests);
      state.manifestFrom = locations[fetched.index]?.serviceLocation ?? null;
      locations = demoteUnanswered(locations, fetched.index);
      state.locations = locations.map(({ serviceLocation, edgeId, baseUrl }) => ({ serviceLocation, edgeId, baseUrl }));
      manifest = withBaseUrls(fetched.text, locations);
    } catch (error) {
      await stop('viewer', describePlayerFailure(error instanceof Error ? error.message : String(error)));
      return;
    }
    if (over) return;
    const cap = videoBitrateCapKbps(videoRepresentations(manifest), started.maxHeight);
    state.videoBitrateCapKbps = cap;
    manifestObjectUrl = URL.createObjectURL(new Blob([manifest], { type: 'application/dash+xml' }));

    // 3. dash.js: loaded only now, so browsing never pays for it.
    const dashjs = await import('dashjs');
    if (over) return;
    const events = dashjs.MediaPlayer.events;
    player = dashjs.MediaPlayer().create();
    player.updateSettings(playerSettings(cap));
    player.addRequestInterceptor(async (request) => {
      request.url = withContentToken(request.url, started.token, locations);
      return request;
    });
    player.addResponseInterceptor(async (response) => {
      const location = locationOf(response.request.url, locations);
      if (!location) return response;
      const status = response.status ?? 0;
      if (status < 200 || status >= 300) {
        // From when the failed request was sent: a hung place costs its whole timeout.
        failingSince ??= response.resourceTiming?.startTime ?? performance.now();
        return response;
      }
      bytesByEdge.set(location.edgeId, (bytesByEdge.get(location.edgeId) ?? 0) + byteLengthOf(response.data));
      if (state.servingLocation !== null && state.servingLocation !== location.serviceLocation) {
        state.failovers += 1;
        if (failingSince !== null) state.lastFailoverMs = Math.round(performance.now() - failingSince);
      }
      failingSince = null;
      state.servingLocation = location.serviceLocation;
      return response;
    });

    const now = () => performance.now();
    player.on(events.PLAYBACK_PLAYING, () => {
      record({ type: 'playing', atMs: now() });
      state.phase = 'playing';
    });
    player.on(events.PLAYBACK_WAITING, () => {
      record({ type: 'waiting', atMs: now() });
      if (state.phase === 'playing') state.phase = 'buffering';
    });
    player.on(events.PLAYBACK_SEEKING, () => record({ type: 'seeking', atMs: now() }));
    player.on(events.PLAYBACK_SEEKED, () => record({ type: 'seeked', atMs: now() }));
    player.on(events.PLAYBACK_PAUSED, () => {
      record({ type: 'paused', atMs: now() });
      if (!over && state.phase !== 'ended') state.phase = 'paused';
      void heartbeat();
    });
    player.on(events.PLAYBACK_NOT_ALLOWED, () => {
      // The browser wants a click before playing: the video's own controls take it.
      state.phase = 'paused';
    });
    player.on(events.PLAYBACK_TIME_UPDATED, (event: { time: number | null }) => {
      if (event.time === null) return;
      record({ type: 'time-updated', atMs: now(), positionSeconds: event.time });
      state.positionSeconds = position();
    });
    player.on(
      events.QUALITY_CHANGE_RENDERED,
      (event: { mediaType: string; newRepresentation: { bitrateInKbit: number; height: number } }) => {
        if (event.mediaType !== 'video') return;
        record({ type: 'quality-rendered', atMs: now(), kbps: event.newRepresentation.bitrateInKbit });
        state.renderedKbps = event.newRepresentation.bitrateInKbit;
        state.renderedHeight = event.newRepresentation.height;
      },
    );
    player.on(events.PLAYBACK_ENDED, () => {
      void stop('ended');
    });
    player.on(
      events.ERROR,
      (event: { error?: { code?: number; message?: string; data?: { request?: { serviceLocation?: string } } } }) => {
        const code = event.error?.code;
        const message = `${code ?? '?'} ${event.error?.message ?? 'unknown error'}`;
        state.playerErrors = [...state.playerErrors.slice(-19), message];
        if (isRecoverablePlayerError(code)) {
          // dash.js has given up on this place and moves on to the next ranked one.
          const where = event.error?.data?.request?.serviceLocation;
          if (where && !state.failedLocations.includes(where))
            state.failedLocations = [...state.failedLocations, where];
          return;
        }
        void stop('viewer', describePlayerFailure(event.error?.message ?? `error ${code}`));
      },
    );

    heartbeatTimer = setInterval(() => void heartbeat(), heartbeatIntervalMs);
    qoeTimer = setInterval(() => {
      state.qoe = summarizeQoe(qoe, performance.now());
    }, 1000);
    player.initialize(video, manifestObjectUrl, true, started.resumeFromSeconds);
  };

  void run();
  return handle;
};
