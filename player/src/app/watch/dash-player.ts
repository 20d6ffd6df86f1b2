/*
 * dash.js wired for a session: tuned (player-settings: content steering, CMCD), the freshest
 * content token swapped into every request's path (renewal without a reload: the manifest and
 * its BaseURLs keep the token they were fetched with), and what it reports turned into the
 * session's own signals (the answers its requests got, the playback events QoE is folded from,
 * renditions, errors). The session decides what each signal means; nothing here keeps state.
 */
import type { MediaPlayerClass } from 'dashjs';
import type { DeliveryEvent } from './failover-tracking';
import { type Place, placeOf } from './places';
import { playerSettings, type SessionIds } from './player-settings';
import type { QoeEvent } from './qoe';
import { withContentToken } from './token-in-url';

type Dashjs = typeof import('dashjs');

export type DashSignals = {
  delivery: (event: DeliveryEvent) => void;
  playback: (event: Exclude<QoeEvent, { type: 'load-started' | 'quality-rendered' }>) => void;
  rendered: (video: { atMs: number; kbps: number; height: number }) => void;
  /** The browser wants a click before playing. */
  notAllowed: () => void;
  ended: () => void;
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
  now: () => number;
  signals: DashSignals;
};

/** What dash.js keeps of its own request beside the one it sends: its kind and the BaseURL it chose. */
type WithDashRequest = { customData?: { request?: { type?: string; serviceLocation?: string | null } } };

// Only segments say where the session is served from; the manifest comes from one place once.
const segmentTypes = new Set(['InitializationSegment', 'MediaSegment']);

const byteLengthOf = (data: unknown): number => {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === 'string') return data.length;
  return 0;
};

/** A dash.js player, set up but not yet initialised with the video and the manifest. */
export const createDashPlayer = (dashjs: Dashjs, options: DashPlayerOptions): MediaPlayerClass => {
  const { places, now, signals } = options;
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
  player.on(
    events.ERROR,
    (event: { error?: { code?: number; message?: string; data?: { request?: { serviceLocation?: string } } } }) =>
      signals.error({
        code: event.error?.code,
        message: event.error?.message,
        serviceLocation: event.error?.data?.request?.serviceLocation,
      }),
  );
  return player;
};
