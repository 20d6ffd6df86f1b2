/*
 * dash.js wired for a session and started: tuned (player-settings: content steering, CMCD),
 * handed the best ranked place's manifest URL and, when that place does not answer, the next
 * one's (the manifest is fetched once, by dash.js; it names every place as a BaseURL, so segments
 * fail over by themselves), the freshest content token swapped into every request's path
 * (renewal without a reload: the manifest and its BaseURLs keep the token they were fetched
 * with), and what it reports turned into the session's own signals (the place the manifest came
 * from, the answers its requests got, the playback events QoE is folded from, renditions,
 * errors). The session decides what each signal means; nothing here keeps state but which place
 * is being asked for the manifest.
 */
import type { MediaPlayerClass } from 'dashjs';
import { type DashTracks, type PlayerTracks, wireDashTracks } from './dash-tracks';
import type { DeliveryEvent } from './failover-tracking';
import { firstManifestAttempt, type ManifestAttempt, NoManifestAnswered, nextManifestAttempt } from './manifest-source';
import { type Place, placeOf } from './places';
import { playerSettings, type SessionIds } from './player-settings';
import type { QoeEvent } from './qoe';
import type { ThumbnailTile } from './seek-preview';
import { withContentToken } from './token-in-url';
import type { LanguagePreferences } from './track-choice';

type Dashjs = typeof import('dashjs');
/** The video element dash.js plays in. */
type DashView = NonNullable<Parameters<MediaPlayerClass['initialize']>[0]>;

export type DashSignals = {
  /** The place whose manifest dash.js plays: the first in rank order that answered. */
  manifestFrom: (place: Place) => void;
  delivery: (event: DeliveryEvent) => void;
  playback: (event: Exclude<QoeEvent, { type: 'load-started' | 'quality-rendered' }>) => void;
  rendered: (video: { atMs: number; kbps: number; height: number }) => void;
  /** The browser wants a click before playing. */
  notAllowed: () => void;
  ended: () => void;
  /** The stream's audio and caption tracks, and the ones playing, whenever they change. */
  tracks: (tracks: PlayerTracks) => void;
  error: (error: {
    code: number | undefined;
    message: string | undefined;
    serviceLocation: string | undefined;
  }) => void;
};

export type DashPlayerOptions = {
  session: SessionIds;
  /** The freshest content token, read at every request. */
  contentToken: () => string;
  /** The ranked places: the server wrote each into the manifest as a BaseURL. */
  places: readonly Place[];
  /** Where playback starts (a resume point), in seconds. */
  startAtSeconds: number;
  /** The profile's languages: what playback starts in. */
  languages: LanguagePreferences;
  now: () => number;
  signals: DashSignals;
  /** Runs a step once dash.js is done with the request it is reporting on (tests run it at once). */
  later?: (step: () => void) => void;
};

/** What an ERROR event of dash.js carries that is read here. */
type DashError = {
  error?: {
    code?: number;
    message?: string;
    data?: { request?: { serviceLocation?: string }; response?: { status?: number } };
  };
};

/** What dash.js keeps of its own request beside the one it sends: its kind and the BaseURL it chose. */
type WithDashRequest = { customData?: { request?: { type?: string; serviceLocation?: string | null } } };

/** MediaPlayer.errors.DOWNLOAD_ERROR_ID_MANIFEST_CODE: the manifest request failed (after its retries: none). */
const manifestDownloadError = 25;

// Only segments say where the session is served from; the manifest comes from one place once.
const segmentTypes = new Set(['InitializationSegment', 'MediaSegment']);

const byteLengthOf = (data: unknown): number => {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === 'string') return data.length;
  return 0;
};

/** A dash.js player, its track controls, and the seek bar's thumbnails. */
export type DashPlayer = DashTracks & {
  player: MediaPlayerClass;
  /** The tile of the thumbnail sprite for a time (the freshest token in its URL), or null when the stream has none. */
  thumbnailAt: (timeSeconds: number, answer: (tile: ThumbnailTile | null) => void) => void;
};

/** A dash.js player playing in `video`, from the best ranked place whose manifest answers. */
export const startDashPlayer = (dashjs: Dashjs, video: DashView, options: DashPlayerOptions): DashPlayer => {
  const { places, now, signals } = options;
  const later = options.later ?? ((step) => setTimeout(step, 0));
  const first = places[firstManifestAttempt.index];
  if (!first) throw new NoManifestAnswered([]);
  /** The place being asked for the manifest; null once one answered. */
  let asking: ManifestAttempt | null = firstManifestAttempt;
  const events = dashjs.MediaPlayer.events;
  const player = dashjs.MediaPlayer().create();
  player.updateSettings(playerSettings(options.session));
  // Added after dash.js's own CMCD interceptor, which rebuilds the URL from the request it began with.
  player.addRequestInterceptor(async (request) => {
    request.url = withContentToken(request.url, options.contentToken());
    return request;
  });
  player.addResponseInterceptor(async (response) => {
    const request = response.request as typeof response.request & WithDashRequest;
    const dashRequest = request.customData?.request;
    if (dashRequest?.type !== undefined && !segmentTypes.has(dashRequest.type)) return response;
    const place = placeOf({ url: request.url, serviceLocation: dashRequest?.serviceLocation }, places);
    if (!place) return response;
    const status = response.status ?? 0;
    if (status < 200 || status >= 300)
      signals.delivery({ type: 'request-failed', sentAtMs: response.resourceTiming?.startTime ?? now() });
    else
      signals.delivery({
        type: 'response-received',
        place: { serviceLocation: place.serviceLocation, edgeId: place.edgeId },
        bytes: byteLengthOf(response.data),
        atMs: now(),
      });
    return response;
  });

  player.on(events.PLAYBACK_PLAYING, () => signals.playback({ type: 'playing', atMs: now() }));
  player.on(events.PLAYBACK_WAITING, () => signals.playback({ type: 'waiting', atMs: now() }));
  player.on(events.PLAYBACK_SEEKING, () => signals.playback({ type: 'seeking', atMs: now() }));
  player.on(events.PLAYBACK_SEEKED, () => signals.playback({ type: 'seeked', atMs: now() }));
  player.on(events.PLAYBACK_PAUSED, () => signals.playback({ type: 'paused', atMs: now() }));
  player.on(events.PLAYBACK_NOT_ALLOWED, () => signals.notAllowed());
  player.on(events.PLAYBACK_TIME_UPDATED, (event: { time: number | null }) => {
    if (event.time !== null) signals.playback({ type: 'time-updated', atMs: now(), positionSeconds: event.time });
  });
  player.on(
    events.QUALITY_CHANGE_RENDERED,
    (event: { mediaType: string; newRepresentation: { bitrateInKbit: number; height: number } }) => {
      if (event.mediaType !== 'video') return;
      const { bitrateInKbit, height } = event.newRepresentation;
      signals.rendered({ atMs: now(), kbps: bitrateInKbit, height });
    },
  );
  player.on(events.PLAYBACK_ENDED, () => signals.ended());
  player.on(events.MANIFEST_LOADED, () => {
    const place = asking && places[asking.index];
    asking = null;
    if (place) signals.manifestFrom(place);
  });
  player.on(events.ERROR, (event: DashError) => {
    const code = event.error?.code;
    if (asking && code === manifestDownloadError) {
      const status = event.error?.data?.response?.status;
      const next = nextManifestAttempt(places, asking, status ? String(status) : 'no answer');
      if (next instanceof NoManifestAnswered) {
        asking = null;
        signals.error({ code, message: next.message, serviceLocation: undefined });
        return;
      }
      asking = next;
      const place = places[next.index] as Place;
      // After dash.js has finished with the failed request: attaching a source resets its loaders.
      later(() => {
        try {
          player.attachSource(place.dash, options.startAtSeconds);
        } catch {
          // The session was stopped meanwhile and the player torn down: nothing is left to start.
        }
      });
      return;
    }
    signals.error({
      code,
      message: event.error?.message,
      serviceLocation: event.error?.data?.request?.serviceLocation,
    });
  });
  // Initialised before the source: dash.js takes the initial track settings only from an initialised player.
  player.initialize(video, undefined, true);
  const tracks = wireDashTracks(dashjs, player, options.languages, signals.tracks);
  player.attachSource(first.dash, options.startAtSeconds);
  return {
    player,
    ...tracks,
    thumbnailAt: (timeSeconds, answer) =>
      player.provideThumbnail(timeSeconds, (tile) =>
        answer(tile ? { ...tile, url: withContentToken(tile.url, options.contentToken()) } : null),
      ),
  };
};
