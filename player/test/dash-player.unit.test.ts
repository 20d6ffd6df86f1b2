import { describe, expect, it } from 'vitest';
import { createDashPlayer, type DashSignals } from '../src/app/watch/dash-player';
import { placesOf } from '../src/app/watch/places';

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

const firstToken = 'eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const renewedToken = 'eyJ4IjoyfQ.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const places = placesOf(
  [
    { edgeId: 'edge-a', base: 'http://127.0.0.1:8101' },
    { edgeId: null, base: 'http://127.0.0.1:8100' },
  ].map(({ edgeId, base }) => ({
    edgeId,
    region: null,
    dash: `${base}/c/${firstToken}/t1/e1/manifest.mpd`,
    hls: `${base}/c/${firstToken}/t1/e1/master.m3u8`,
  })),
);
const edgeAFolder = `http://127.0.0.1:8101/c/${firstToken}/t1/e1/`;

const wire = () => {
  const fake = fakeDashjs();
  const seen: [keyof DashSignals, unknown][] = [];
  const signal =
    (name: keyof DashSignals) =>
    (value?: unknown): void => {
      seen.push([name, value]);
    };
  let token = firstToken;
  createDashPlayer(fake.dashjs, {
    session: { sessionId: 's-1', titleId: 't1' },
    contentToken: () => token,
    places,
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
  return {
    ...fake,
    seen,
    renew: (fresh: string) => {
      token = fresh;
    },
  };
};

describe('the dash.js wiring', () => {
  it('follows content steering and sends CMCD in the query, naming the session and the title', () => {
    const { settings } = wire();
    expect(settings()).toMatchObject({
      streaming: {
        applyContentSteering: true,
        cmcd: { enabled: true, mode: 'query', sid: 's-1', cid: 't1' },
      },
    });
    // The server lists only the rungs the plan allows: the player sets no cap of its own.
    expect(JSON.stringify(settings())).not.toContain('maxBitrate');
  });

  it('carries the freshest token in every later request path, without touching other requests', async () => {
    const { interceptors, renew } = wire();
    const [swapToken] = interceptors.request;
    const segment = `${edgeAFolder}segment-v720-00001.m4s?CMCD=sid%3D%22s-1%22`;
    expect((await swapToken?.({ url: segment }))?.url).toBe(segment);
    renew(renewedToken);
    expect((await swapToken?.({ url: segment }))?.url).toBe(
      `http://127.0.0.1:8101/c/${renewedToken}/t1/e1/segment-v720-00001.m4s?CMCD=sid%3D%22s-1%22`,
    );
    const steering = `http://127.0.0.1:4002/steering/${firstToken}/t1/e1?_DASH_pathway=%22edge-a%22`;
    expect((await swapToken?.({ url: steering }))?.url).toBe(steering);
  });

  it('reports answers from known places as deliveries: a failure from when it was sent, a success with its bytes', async () => {
    const { interceptors, seen } = wire();
    const [onResponse] = interceptors.response;
    const url = `${edgeAFolder}segment-v720-00002.m4s`;
    const segment = { customData: { request: { type: 'MediaSegment', serviceLocation: 'edge-a' } } };
    await onResponse?.({ request: { url, ...segment }, status: 504, resourceTiming: { startTime: 400 } });
    await onResponse?.({ request: { url, ...segment }, status: 200, data: new ArrayBuffer(2048) });
    await onResponse?.({ request: { url: 'http://elsewhere.example/x' }, status: 200, data: new ArrayBuffer(1) });
    // The manifest is not where the segments come from; nor is the steering server.
    const manifest = { customData: { request: { type: 'MPD' } } };
    await onResponse?.({ request: { url: places[1]?.dash, ...manifest }, status: 200, data: 'x' });
    expect(seen).toEqual([
      ['delivery', { type: 'request-failed', sentAtMs: 400 }],
      [
        'delivery',
        {
          type: 'response-received',
          place: { serviceLocation: 'edge-a', edgeId: 'edge-a' },
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
