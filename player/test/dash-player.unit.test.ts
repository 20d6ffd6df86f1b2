import { describe, expect, it } from 'vitest';
import { createDashPlayer, type DashSignals } from '../src/app/watch/dash-player';
import { packageLocations } from '../src/app/watch/manifest';

/** Just enough of dash.js to see what the wiring registers and to fire its events. */
const fakeDashjs = () => {
  const handlers = new Map<string, (event: unknown) => void>();
  const interceptors: {
    request: ((r: { url: string }) => Promise<{ url: string }>)[];
    response: ((r: unknown) => Promise<unknown>)[];
  } = { request: [], response: [] };
  let settings: unknown;
  const player = {
    create: () => player,
    updateSettings: (value: unknown) => {
      settings = value;
    },
    addRequestInterceptor: (f: (r: { url: string }) => Promise<{ url: string }>) => interceptors.request.push(f),
    addResponseInterceptor: (f: (r: unknown) => Promise<unknown>) => interceptors.response.push(f),
    on: (name: string, handler: (event: unknown) => void) => handlers.set(name, handler),
  };
  const events = Object.fromEntries(
    [
      'PLAYBACK_PLAYING',
      'PLAYBACK_WAITING',
      'PLAYBACK_SEEKING',
      'PLAYBACK_SEEKED',
      'PLAYBACK_PAUSED',
      'PLAYBACK_NOT_ALLOWED',
      'PLAYBACK_TIME_UPDATED',
      'QUALITY_CHANGE_RENDERED',
      'PLAYBACK_ENDED',
      'ERROR',
    ].map((name) => [name, name]),
  );
  const dashjs = { MediaPlayer: Object.assign(() => player, { events }) } as unknown as Parameters<
    typeof createDashPlayer
  >[0];
  return {
    dashjs,
    fire: (name: string, event: unknown = {}) => handlers.get(name)?.(event),
    interceptors,
    settings: () => settings,
  };
};

const locations = packageLocations([
  { edgeId: 'edge-a', url: 'http://127.0.0.1:8101/content/t1/e1/manifest.mpd?token=t' },
  { edgeId: null, url: 'http://127.0.0.1:8100/content/t1/e1/manifest.mpd?token=t' },
]);
const [edgeA] = locations;

const wire = () => {
  const fake = fakeDashjs();
  const seen: [keyof DashSignals, unknown][] = [];
  const signal =
    (name: keyof DashSignals) =>
    (value?: unknown): void => {
      seen.push([name, value]);
    };
  createDashPlayer(fake.dashjs, {
    bitrateCapKbps: 1500,
    contentToken: 'content-token',
    locations,
    now: () => 1000,
    signals: {
      delivery: signal('delivery'),
      playback: signal('playback'),
      rendered: signal('rendered'),
      notAllowed: signal('notAllowed'),
      ended: signal('ended'),
      error: signal('error'),
    },
  });
  return { ...fake, seen };
};

describe('the dash.js wiring', () => {
  it("is tuned with the plan's bitrate cap and adds the content token to requests to the package's places only", async () => {
    const { interceptors, settings } = wire();
    expect(settings()).toMatchObject({ streaming: { abr: { maxBitrate: { video: 1500 } } } });
    const [addToken] = interceptors.request;
    const segment = await addToken?.({ url: `${edgeA?.baseUrl}video/seg-1.m4s` });
    expect(new URL(segment?.url ?? '').searchParams.get('token')).toBe('content-token');
    expect((await addToken?.({ url: 'http://elsewhere.example/seg.m4s' }))?.url).toBe(
      'http://elsewhere.example/seg.m4s',
    );
  });

  it('reports answers from known places as deliveries: a failure from when it was sent, a success with its bytes', async () => {
    const { interceptors, seen } = wire();
    const [onResponse] = interceptors.response;
    const url = `${edgeA?.baseUrl}video/seg-2.m4s`;
    await onResponse?.({ request: { url }, status: 504, resourceTiming: { startTime: 400 } });
    await onResponse?.({ request: { url }, status: 200, data: new ArrayBuffer(2048) });
    await onResponse?.({ request: { url: 'http://elsewhere.example/x' }, status: 200, data: new ArrayBuffer(1) });
    expect(seen).toEqual([
      ['delivery', { type: 'request-failed', sentAtMs: 400 }],
      [
        'delivery',
        {
          type: 'response-received',
          place: expect.objectContaining({ serviceLocation: edgeA?.serviceLocation, edgeId: 'edge-a' }),
          bytes: 2048,
          atMs: 1000,
        },
      ],
    ]);
  });

  it("turns the player's events into the session's signals", () => {
    const { fire, seen } = wire();
    fire('PLAYBACK_PLAYING');
    fire('PLAYBACK_TIME_UPDATED', { time: 12.5 });
    fire('PLAYBACK_TIME_UPDATED', { time: null });
    fire('QUALITY_CHANGE_RENDERED', { mediaType: 'audio', newRepresentation: { bitrateInKbit: 128, height: 0 } });
    fire('QUALITY_CHANGE_RENDERED', { mediaType: 'video', newRepresentation: { bitrateInKbit: 900, height: 480 } });
    fire('PLAYBACK_NOT_ALLOWED');
    fire('ERROR', {
      error: { code: 27, message: 'download failed', data: { request: { serviceLocation: 'edge-a' } } },
    });
    fire('PLAYBACK_ENDED');
    expect(seen).toEqual([
      ['playback', { type: 'playing', atMs: 1000 }],
      ['playback', { type: 'time-updated', atMs: 1000, positionSeconds: 12.5 }],
      ['rendered', { atMs: 1000, kbps: 900, height: 480 }],
      ['notAllowed', undefined],
      ['error', { code: 27, message: 'download failed', serviceLocation: 'edge-a' }],
      ['ended', undefined],
    ]);
  });
});
