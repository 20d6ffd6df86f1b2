/*
 * One viewing session, from the press of play to stop: POST /playback for a stream slot and
 * the ranked places, the manifest from the first place that answers with every place written
 * in as a BaseURL, dash.js capped to the plan's height and started at the resume position,
 * heartbeats every 10 s and on pause, and at the end the QoE report and the stop that gives
 * the slot back. The accounting is done by pure folds (qoe, failover-tracking); dash.js is
 * wired in dash-player. What the session keeps is the watch state the page shows.
 */
import type { MediaPlayerClass } from 'dashjs';
import { reportQoe, sendHeartbeat, startPlayback, stopPlayback } from '../api/commands';
import { ApiError } from '../api/http';
import { createDashPlayer, type DashSignals } from './dash-player';
import { type DeliveryEvent, initialFailover, recordDelivery } from './failover-tracking';
import {
  demoteUnanswered,
  type PackageLocation,
  packageLocations,
  videoBitrateCapKbps,
  videoRepresentations,
  withBaseUrls,
} from './manifest';
import { fetchFirstManifest } from './manifest-source';
import { describePlaybackProblem, describePlayerFailure, type PlaybackProblem } from './playback-errors';
import { playbackPosition } from './playback-position';
import { isRecoverablePlayerError } from './player-settings';
import { initialQoe, mostUsedEdge, type QoeEvent, recordQoe, summarizeQoe } from './qoe';
import { shownLocations, type WatchState } from './watch-state';

export const heartbeatIntervalMs = 10_000;

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

/** Starts a session and returns at once; the handle can stop it at any point, even before it plays. */
export const startWatching = (options: Options): Playback => {
  const { state, video, profileId, token } = options;
  const now = () => performance.now();
  let player: MediaPlayerClass | null = null;
  let manifestObjectUrl: string | null = null;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let qoeTimer: ReturnType<typeof setInterval> | undefined;
  let qoe = recordQoe(initialQoe, { type: 'load-started', atMs: now() });
  let failover = initialFailover;
  let over = false;

  const position = () =>
    playbackPosition({
      firstFrameShown: qoe.firstFrameAtMs !== null,
      resumeFromSeconds: state.resumeFromSeconds,
      currentTime: video.currentTime,
      mediaDuration: video.duration,
      titleDurationSeconds: options.durationSeconds,
    });

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
    const report = summarizeQoe(qoe, now());
    teardown();
    state.positionSeconds = positionSeconds;
    state.qoe = report;
    state.phase = problem ? 'failed' : reason === 'ended' ? 'ended' : 'stopped';
    if (problem) state.problem = problem;
    if (!sessionId) return;
    const keepalive = reason === 'unload';
    const edgeId = mostUsedEdge(failover.bytesByEdge);
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

  const onDelivery = (event: DeliveryEvent) => {
    const before = failover;
    failover = recordDelivery(failover, event);
    // Only what changed is written: the state is the page's, and each write re-renders it.
    if (failover.servingLocation !== before.servingLocation) state.servingLocation = failover.servingLocation;
    if (failover.failovers !== before.failovers) state.failovers = failover.failovers;
    if (failover.lastFailoverMs !== before.lastFailoverMs) state.lastFailoverMs = failover.lastFailoverMs;
    if (failover.failedLocations !== before.failedLocations) state.failedLocations = [...failover.failedLocations];
  };

  const onPlayback = (event: QoeEvent) => {
    qoe = recordQoe(qoe, event);
    switch (event.type) {
      case 'playing':
        state.phase = 'playing';
        return;
      case 'waiting':
        if (state.phase === 'playing') state.phase = 'buffering';
        return;
      case 'paused':
        if (!over && state.phase !== 'ended') state.phase = 'paused';
        void heartbeat();
        return;
      case 'time-updated':
        state.positionSeconds = position();
        return;
    }
  };

  const signals: DashSignals = {
    delivery: onDelivery,
    playback: onPlayback,
    rendered: ({ atMs, kbps, height }) => {
      onPlayback({ type: 'quality-rendered', atMs, kbps });
      state.renderedKbps = kbps;
      state.renderedHeight = height;
    },
    notAllowed: () => {
      // The browser wants a click before playing: the video's own controls take it.
      state.phase = 'paused';
    },
    ended: () => void stop('ended'),
    error: ({ code, message, serviceLocation }) => {
      state.playerErrors = [...state.playerErrors.slice(-19), `${code ?? '?'} ${message ?? 'unknown error'}`];
      if (isRecoverablePlayerError(code)) {
        // dash.js has given up on this place and moves on to the next ranked one.
        if (serviceLocation) onDelivery({ type: 'place-abandoned', serviceLocation });
        return;
      }
      void stop('viewer', describePlayerFailure(message ?? `error ${code}`));
    },
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
      locations: shownLocations(locations),
    } satisfies Partial<WatchState>);

    // 2. The manifest, with every place in it.
    let manifest: string;
    try {
      const fetched = await fetchFirstManifest(started.manifests);
      state.manifestFrom = locations[fetched.index]?.serviceLocation ?? null;
      locations = demoteUnanswered(locations, fetched.index);
      state.locations = shownLocations(locations);
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
    player = createDashPlayer(dashjs, {
      bitrateCapKbps: cap,
      contentToken: started.token,
      locations,
      now,
      signals,
    });
    heartbeatTimer = setInterval(() => void heartbeat(), heartbeatIntervalMs);
    qoeTimer = setInterval(() => {
      state.qoe = summarizeQoe(qoe, now());
    }, 1000);
    player.initialize(video, manifestObjectUrl, true, started.resumeFromSeconds);
  };

  void run();
  return handle;
};
