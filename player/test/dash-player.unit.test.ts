import { describe, expect, it } from 'vitest';
import { type DashSignals, startDashPlayer } from '../src/app/watch/dash-player';
import { placesOf } from '../src/app/watch/places';

/** Just enough of dash.js to see what the wiring registers and to fire its events. */
const fakeDashjs = () => {
  const handlers = new Map<string, (event: unknown) => void>();
  const interceptors: {
    request: ((r: { url: string }) => Promise<{ url: string }>)[];
    response: ((r: unknown) => Promise<unknown>)[];
  } = { request: [], response: [] };
  let settings: unknown;
  /** What the player was given to play, in order: initialize, then each attachSource. */
  const sources: { url: string; startAt: number | string | undefined }[] = [];
  const player = {
    initialize: (_video: unknown, url: string, _autoPlay: boolean, startAt?: number | string) =>
      sources.push({ url, startAt }),
    attachSource: (url: string, startAt?: number | string) => sources.push({ url, startAt }),
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
      'MANIFEST_LOADED',
      'ERROR',
    ].map((name) => [name, name]),
  );
  const dashjs = { MediaPlayer: Object.assign(() => player, { events }) } as unknown as Parameters<
    typeof startDashPlayer
  >[0];
  return {
    dashjs,
    sources,
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
    { edgeId: 'edge-b', base: 'http://127.0.0.1:8102' },
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
  const later: (() => void)[] = [];
  startDashPlayer(fake.dashjs, {} as Parameters<typeof startDashPlayer>[1], {
    session: { sessionId: 's-1', titleId: 't1' },
    contentToken: () => token,
    places,
    startAtSeconds: 42,
    now: () => 1000,
    later: (step) => later.push(step),
    signals: {
      manifestFrom: (place) => seen.push(['manifestFrom', place.serviceLocation]),
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
    /** Runs what the wiring put off until dash.js is done with the failed request. */
    runLater: () => {
      for (const step of later.splice(0)) step();
    },
  };
};

describe('the dash.js wiring', () => {
  it("hands dash.js the best ranked place's manifest URL and the resume point, and nothing else fetches it", () => {
    const { sources, fire, seen } = wire();
    expect(sources).toEqual([{ url: places[0]?.dash, startAt: 42 }]);
    fire('MANIFEST_LOADED', { data: {} });
    // A later reload of the same manifest names no new place.
    fire('MANIFEST_LOADED', { data: {} });
    expect(seen).toEqual([['manifestFrom', 'edge-a']]);
  });

  it('moves on to the next ranked place when a place does not answer for the manifest, not counted as an error', () => {
    const { sources, fire, seen, runLater } = wire();
    fire('ERROR', { error: { code: 25, message: 'manifest.mpd is not available', data: { response: { status: 0 } } } });
    // Attached only once dash.js is done with the failed request.
    expect(sources).toHaveLength(1);
    runLater();
    expect(sources.at(-1)).toEqual({ url: places[1]?.dash, startAt: 42 });
    fire('MANIFEST_LOADED', { data: {} });
    expect(seen).toEqual([['manifestFrom', 'edge-b']]);
  });

  it('gives up with what each place answered once the last one has not answered either', () => {
    const { sources, fire, seen, runLater } = wire();
    const manifestFailed = (status: number) => ({ error: { code: 25, message: 'x', data: { response: { status } } } });
    fire('ERROR', manifestFailed(0));
    runLater();
    fire('ERROR', manifestFailed(403));
    runLater();
    fire('ERROR', manifestFailed(503));
    runLater();
    expect(sources.map((source) => source.url)).toEqual(places.map((place) => place.dash));
    expect(seen).toEqual([
      [
        'error',
        {
          code: 25,
          message: 'No server answered with the manifest (edge-a: no answer; edge-b: 403; origin: 503).',
          serviceLocation: undefined,
        },
      ],
    ]);
  });

  it('passes a manifest failure on as an error once a manifest has been played', () => {
    const { sources, fire, seen, runLater } = wire();
    fire('MANIFEST_LOADED', { data: {} });
    fire('ERROR', { error: { code: 25, message: 'reload failed' } });
    runLater();
    expect(sources).toHaveLength(1);
    expect(seen.at(-1)).toEqual(['error', { code: 25, message: 'reload failed', serviceLocation: undefined }]);
  });

  it('follows content steering and sends CMCD in the query, naming the session and the title', () => {
    const { settings } = wire();
    expect(settings()).toMatchObject({
      streaming: {
        applyContentSteering: true,
        cmcd: { enabled: true, mode: 'query', sid: 's-1', cid: 't1' },
      },
    });
    // A place that does not answer for the manifest is not asked again: the next one is.
    expect(settings()).toMatchObject({ streaming: { retryAttempts: { MPD: 0 } } });
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
