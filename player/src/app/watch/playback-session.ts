/*
 * One viewing session, from the press of play to stop: POST /playback for a stream slot, the
 * ranked places and the content token, while dash.js loads; the manifest from the first place
 * that answers, played by dash.js (or the browser's own HLS where there is no MSE), which the
 * server's manifest steers between places; heartbeats often enough to renew the token before it
 * runs out, and on pause; at the end the QoE report and the stop that gives the slot back. The
 * accounting is done by pure folds (qoe, failover-tracking, token-renewal); the engines are wired
 * in dash-player and native-hls-player. What the session keeps is the watch state the page shows.
 */
import type { MediaPlayerClass } from 'dashjs';
import { reportQoe, sendHeartbeat, setProfileLanguages, startPlayback, stopPlayback } from '../api/commands';
import { ApiError } from '../api/http';
import type { PlaybackStarted } from '../api/types';
import { type Dashjs, loadDashjs } from './dash-loader';
import { type DashPlayer, type DashSignals, startDashPlayer } from './dash-player';
import { type DeliveryEvent, initialFailover, recordDelivery } from './failover-tracking';
import { hlsVariants } from './hls-master';
import { fetchHlsSprites } from './hls-thumbnails';
import { fetchFirstManifest } from './manifest-source';
import { type NativeHlsPlayer, startNativeHls } from './native-hls-player';
import { type Place, placesOf } from './places';
import { engineSupportOf, type PlaybackEngine, pickEngine } from './playback-engine';
import { describePlaybackProblem, describePlayerFailure, type PlaybackProblem } from './playback-errors';
import { playbackPosition } from './playback-position';
import { isRecoverablePlayerError } from './player-settings';
import { initialQoe, mostUsedEdge, type QoeEvent, recordQoe, summarizeQoe } from './qoe';
import type { ThumbnailTile } from './seek-preview';
import { hideContentTokens, withContentToken } from './token-in-url';
import {
  type ContentTokenState,
  firstContentToken,
  heartbeatDelayMs,
  nativeSourceDue,
  renewContentToken,
} from './token-renewal';
import { type LanguagePreferences, noPreferences, preferencesAfterPick } from './track-choice';
import { shownLocations, type WatchState } from './watch-state';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type StopReason = 'viewer' | 'ended' | 'left' | 'unload';

export type Playback = {
  /** The dash.js player, once it exists. */
  readonly player: MediaPlayerClass | null;
  /** Reports QoE, stops the session and tears the player down; safe to call more than once. */
  stop: (reason: StopReason) => Promise<void>;
  /** The viewer's pick: switches in place and remembers the language for the profile. */
  selectAudio: (id: string) => void;
  /** The viewer's pick (null: off): shown at once and remembered for the profile. */
  selectCaptions: (id: string | null) => void;
  /** The seek preview tile for a time; null where the stream (or the engine) has none. */
  thumbnailAt: (timeSeconds: number, answer: (tile: ThumbnailTile | null) => void) => void;
};

type Options = {
  state: WatchState;
  video: HTMLVideoElement;
  titleId: string;
  profileId: string;
  token: string;
  /** The title's length from the catalog, once it answered: heartbeats never claim a position past it. */
  durationSeconds: () => number | null;
  accountId: string;
  /** The profile's languages, being read beside POST /playback; the engine starts in them. */
  languages: Promise<LanguagePreferences>;
  /** A pick was remembered for the profile. */
  languagesSaved?: (languages: LanguagePreferences) => void;
};

// A heartbeat refused for one of these ends the session: its token will not be renewed.
const sessionOverCodes = new Set([
  'PlaybackSessionExpired',
  'SessionStopped',
  'SessionNotFound',
  'TitleUnavailable',
  'SubscriptionNotActive',
]);

/** Starts a session and returns at once; the handle can stop it at any point, even before it plays. */
export const startWatching = (options: Options): Playback => {
  const { state, video, profileId, token } = options;
  const now = () => performance.now();
  let player: MediaPlayerClass | null = null;
  let dash: DashPlayer | null = null;
  let nativeHls: NativeHlsPlayer | null = null;
  let heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  let qoeTimer: ReturnType<typeof setInterval> | undefined;
  let contentToken: ContentTokenState | null = null;
  /** Native HLS: the master URL playing now, and when the token in it runs out. */
  let nativeSource: { url: string; token: string; expiresAtMs: number } | null = null;
  let qoe = recordQoe(initialQoe, { type: 'load-started', atMs: now() });
  let failover = initialFailover;
  let over = false;

  const position = () =>
    playbackPosition({
      firstFrameShown: qoe.firstFrameAtMs !== null,
      resumeFromSeconds: state.resumeFromSeconds,
      currentTime: video.currentTime,
      mediaDuration: video.duration,
      titleDurationSeconds: options.durationSeconds(),
    });

  const teardown = () => {
    clearTimeout(heartbeatTimer);
    clearInterval(qoeTimer);
    try {
      player?.destroy();
      nativeHls?.destroy();
    } catch {
      // A player that failed half-way may not tear down cleanly; it is gone either way.
    }
  };

  const stop = async (reason: StopReason, problem: PlaybackProblem | null = null) => {
    if (over) return;
    over = true;
    const sessionId = state.sessionId;
    const durationSeconds = options.durationSeconds();
    const positionSeconds = reason === 'ended' && durationSeconds ? durationSeconds : position();
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

  /** The next beat, a third of the freshest token's life away at most (see token-renewal). */
  const scheduleHeartbeat = () => {
    clearTimeout(heartbeatTimer);
    if (over) return;
    const delay = heartbeatDelayMs(contentToken?.expiresAtMs ?? Number.NaN, Date.now());
    heartbeatTimer = setTimeout(() => void heartbeat().finally(scheduleHeartbeat), delay);
  };

  /** Native HLS cannot rewrite its requests: move it to the fresh token when the one it has runs out before the next beat. */
  const moveNativeSourceIfDue = () => {
    if (!nativeHls || !nativeSource || !contentToken) return;
    const nowMs = Date.now();
    const due = nativeSourceDue({
      inUseToken: nativeSource.token,
      inUseExpiresAtMs: nativeSource.expiresAtMs,
      freshest: contentToken,
      nextHeartbeatInMs: heartbeatDelayMs(contentToken.expiresAtMs, nowMs),
      nowMs,
    });
    if (!due) return;
    nativeSource = {
      url: withContentToken(nativeSource.url, contentToken.token),
      token: contentToken.token,
      expiresAtMs: contentToken.expiresAtMs,
    };
    nativeHls.renew(nativeSource.url);
    state.sourceSwaps += 1;
  };

  const heartbeat = async () => {
    const sessionId = state.sessionId;
    if (over || !sessionId) return;
    try {
      const answer = await sendHeartbeat(token, sessionId, { profileId, positionSeconds: position() });
      if (over) return;
      state.heartbeats += 1;
      state.lastHeartbeatAt = new Date().toISOString();
      if (contentToken) {
        // dash.js reads the freshest token at each request; native HLS needs its source moved.
        const renewed = renewContentToken(contentToken, answer);
        if (renewed !== contentToken) {
          contentToken = renewed;
          state.tokenRenewals = renewed.renewals;
          state.tokenExpiresAt = new Date(renewed.expiresAtMs).toISOString();
          moveNativeSourceIfDue();
        }
      }
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
        void heartbeat().finally(scheduleHeartbeat);
        return;
      case 'time-updated':
        state.positionSeconds = position();
        return;
    }
  };

  const signals: DashSignals = {
    manifestFrom: (place) => {
      state.manifestFrom = place.serviceLocation;
    },
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
    tracks: (tracks) => {
      state.tracks = tracks;
    },
    error: ({ code, message, serviceLocation }) => {
      state.playerErrors = [
        ...state.playerErrors.slice(-19),
        `${code ?? '?'} ${hideContentTokens(message ?? 'unknown error')}`,
      ];
      if (isRecoverablePlayerError(code)) {
        // dash.js has given up on this place and moves on to the next ranked one.
        if (serviceLocation) onDelivery({ type: 'place-abandoned', serviceLocation });
        return;
      }
      void stop('viewer', describePlayerFailure(hideContentTokens(message ?? `error ${code}`)));
    },
  };

  /** Fire and forget: the pick has taken effect; a failed save is shown, and playback goes on. */
  const remember = (languages: LanguagePreferences) => {
    state.languages = languages;
    state.languagesProblem = null;
    setProfileLanguages(token, options.accountId, profileId, languages).then(
      () => options.languagesSaved?.(languages),
      (error: unknown) => {
        state.languagesProblem = `Your choice could not be saved for next time: ${messageOf(error)}`;
      },
    );
  };

  const handle: Playback = {
    get player() {
      return player;
    },
    stop: (reason) => stop(reason),
    selectAudio: (id) => {
      const track = state.tracks.audio.find((candidate) => candidate.id === id);
      if (!track || over) return;
      dash?.selectAudio(id);
      nativeHls?.selectAudio(id);
      remember(preferencesAfterPick(state.languages ?? noPreferences, { kind: 'audio', track }));
    },
    selectCaptions: (id) => {
      const track = id === null ? null : state.tracks.captions.find((candidate) => candidate.id === id);
      if (track === undefined || over) return;
      dash?.selectCaptions(id);
      nativeHls?.selectCaptions(id);
      remember(preferencesAfterPick(state.languages ?? noPreferences, { kind: 'captions', track }));
    },
    thumbnailAt: (timeSeconds, answer) => {
      const engine = over ? null : (dash ?? nativeHls);
      if (engine) engine.thumbnailAt(timeSeconds, answer);
      else answer(null);
    },
  };

  /** Heartbeats (which renew the token) and the QoE shown as it goes, once an engine is about to play. */
  const startAccounting = () => {
    scheduleHeartbeat();
    qoeTimer = setInterval(() => {
      state.qoe = summarizeQoe(qoe, now());
    }, 1000);
  };

  /**
   * dash.js, handed the ranked places: it asks them for the manifest in rank order itself (see
   * dash-player), and the manifest names every place and the steering server.
   */
  const startDash = async (
    started: PlaybackStarted,
    places: Place[],
    dashjsLoading: Promise<Dashjs>,
    languages: LanguagePreferences,
  ) => {
    let dashjs: Dashjs;
    try {
      dashjs = await dashjsLoading;
    } catch (error) {
      await stop('viewer', describePlayerFailure(`the player could not be loaded: ${messageOf(error)}`));
      return;
    }
    if (over) return;
    startAccounting();
    try {
      dash = startDashPlayer(dashjs, video, {
        session: { sessionId: started.sessionId, titleId: started.titleId },
        contentToken: () => contentToken?.token ?? started.token,
        places,
        startAtSeconds: started.resumeFromSeconds,
        languages,
        now,
        signals,
      });
      player = dash.player;
    } catch (error) {
      await stop('viewer', describePlayerFailure(messageOf(error)));
    }
  };

  /** The browser's own HLS, on the master from the first place that answers (its variants are read here). */
  const startHls = async (started: PlaybackStarted, places: Place[], languages: LanguagePreferences) => {
    let manifest: Awaited<ReturnType<typeof fetchFirstManifest>>;
    try {
      manifest = await fetchFirstManifest(places, 'hls');
    } catch (error) {
      await stop('viewer', describePlayerFailure(messageOf(error)));
      return;
    }
    if (over) return;
    const place = places[manifest.index] as Place;
    state.manifestFrom = place.serviceLocation;
    startAccounting();
    const { url: masterUrl, text: master } = manifest;
    nativeSource = { url: masterUrl, token: started.token, expiresAtMs: Date.parse(started.tokenExpiresAt) };
    // The browser's requests cannot be seen: the session is filed under the place the master came from.
    onDelivery({
      type: 'response-received',
      place: { serviceLocation: place.serviceLocation, edgeId: place.edgeId },
      bytes: 0,
      atMs: now(),
    });
    nativeHls = startNativeHls(video, {
      masterUrl,
      startAtSeconds: started.resumeFromSeconds,
      variants: hlsVariants(master),
      languages,
      // Beside playback, not before it: previews are not worth a slower start.
      sprites: fetchHlsSprites(master, masterUrl),
      contentToken: () => contentToken?.token ?? started.token,
      now,
      signals: {
        ...signals,
        error: ({ code, message }) => signals.error({ code, message, serviceLocation: undefined }),
      },
    });
  };

  const run = async () => {
    // 1. A stream slot, the ranked places and the token; dash.js loads meanwhile, not after.
    const engine: PlaybackEngine | null = pickEngine(engineSupportOf(video));
    const dashjsLoading = engine === 'dash' ? loadDashjs() : null;
    let started: PlaybackStarted;
    try {
      started = await startPlayback(token, { profileId, titleId: options.titleId });
    } catch (error) {
      if (over) return;
      over = true;
      state.phase = 'failed';
      state.problem = describePlaybackProblem(error instanceof ApiError ? error : { message: messageOf(error) });
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
    const places = placesOf(started.manifests);
    contentToken = firstContentToken(started.token, started.tokenExpiresAt);
    Object.assign(state, {
      phase: 'loading',
      sessionId: started.sessionId,
      encodingId: started.encodingId,
      resumeFromSeconds: started.resumeFromSeconds,
      positionSeconds: started.resumeFromSeconds,
      maxHeight: started.maxHeight,
      engine,
      locations: shownLocations(places),
      tokenExpiresAt: started.tokenExpiresAt,
    } satisfies Partial<WatchState>);
    // 2. The engine on the first place that answers, in the profile's languages (read meanwhile),
    // the heartbeats that renew the token, the QoE.
    const languages = await options.languages.catch(() => noPreferences);
    if (over) return;
    state.languages = languages;
    if (dashjsLoading) await startDash(started, places, dashjsLoading, languages);
    else if (engine === 'hls') await startHls(started, places, languages);
    else await stop('viewer', describePlayerFailure('this browser plays neither DASH nor HLS streams'));
  };

  void run();
  return handle;
};
