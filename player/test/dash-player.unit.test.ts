import { describe, expect, it } from 'vitest';
import { type DashSignals, startDashPlayer } from '../src/app/watch/dash-player';
import type { PlayerTracks } from '../src/app/watch/dash-tracks';
import { placesOf } from '../src/app/watch/places';
import type { LanguagePreferences } from '../src/app/watch/track-choice';

/** A track as dash.js describes it (MediaInfo), as far as the wiring reads it. */
type FakeTrack = { index: number; lang: string | null; labels: { text: string }[]; roles: { value: string }[] };
const dashTrack = (index: number, lang: string, label: string, role?: string): FakeTrack => ({
  index,
  lang,
  labels: [{ text: label }],
  roles: role ? [{ value: role }] : [],
});

/** Just enough of dash.js to see what the wiring registers and to fire its events. */
const fakeDashjs = () => {
  const handlers = new Map<string, (event: unknown) => void>();
  const interceptors: {
    request: ((r: { url: string }) => Promise<{ url: string }>)[];
    response: ((r: unknown) => Promise<unknown>)[];
  } = { request: [], response: [] };
  let settings: unknown;
  /** What the player was given to play, in order: each attachSource (initialize is given none). */
  const sources: { url: string; startAt: number | string | undefined }[] = [];
  /** Every call the wiring made about tracks, in order, initialize included. */
  const trackCalls: unknown[][] = [];
  const media = { audio: [] as FakeTrack[], currentAudio: null as FakeTrack | null };
  const player = {
    initialize: (_video: unknown, url: string | undefined, _autoPlay: boolean, startAt?: number | string) => {
      trackCalls.push(['initialize']);
      if (url) sources.push({ url, startAt });
    },
    setInitialMediaSettingsFor: (type: string, value: unknown) => trackCalls.push(['initial', type, value]),
    getTracksFor: (type: string) => (type === 'audio' ? media.audio : []),
    getCurrentTrackFor: (type: string) => (type === 'audio' ? media.currentAudio : null),
    setCurrentTrack: (track: FakeTrack) => {
      trackCalls.push(['audio', track.lang]);
      media.currentAudio = track;
    },
    setTextTrack: (index: number) => trackCalls.push(['text', index]),
    provideThumbnail: (time: number, answer: (tile: unknown) => void) =>
      answer(
        time < 100
          ? { url: `${edgeAFolder}thumbnails-1.jpg`, x: 160 * Math.floor(time / 10), y: 0, width: 160, height: 90 }
          : null,
      ),
    attachSource: (url: string, startAt?: number | string) => {
      trackCalls.push(['attach']);
      sources.push({ url, startAt });
    },
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
      'STREAM_INITIALIZED',
      'TEXT_TRACKS_ADDED',
      'TRACK_CHANGE_RENDERED',
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
    trackCalls,
    media,
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

const wire = (languages: LanguagePreferences = { audioLanguage: null, captionLanguage: null }) => {
  const fake = fakeDashjs();
  const tracks: PlayerTracks[] = [];
  const seen: [keyof DashSignals, unknown][] = [];
  const signal =
    (name: keyof DashSignals) =>
    (value?: unknown): void => {
      seen.push([name, value]);
    };
  let token = firstToken;
  const later: (() => void)[] = [];
  const dash = startDashPlayer(fake.dashjs, {} as Parameters<typeof startDashPlayer>[1], {
    session: { sessionId: 's-1', titleId: 't1' },
    contentToken: () => token,
    places,
    startAtSeconds: 42,
    languages,
    now: () => 1000,
    later: (step) => later.push(step),
    signals: {
      manifestFrom: (place) => seen.push(['manifestFrom', place.serviceLocation]),
      delivery: signal('delivery'),
      playback: signal('playback'),
      rendered: signal('rendered'),
      notAllowed: signal('notAllowed'),
      ended: signal('ended'),
      tracks: (value) => tracks.push(value),
      error: signal('error'),
    },
  });
  return {
    ...fake,
    dash,
    /** The last state of the tracks the wiring reported. */
    tracks: () => tracks.at(-1),
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

describe('audio and caption tracks on dash.js', () => {
  const english = dashTrack(0, 'en', 'English', 'main');
  const french = dashTrack(1, 'fr', 'French', 'dub');
  const textTracks = [dashTrack(0, 'en', 'English', 'subtitle'), dashTrack(1, 'de', 'German', 'subtitle')];

  it("asks dash.js for the profile's audio language once initialised, before the source is attached", () => {
    const { trackCalls } = wire({ audioLanguage: 'fr', captionLanguage: null });
    expect(trackCalls.slice(0, 3)).toEqual([['initialize'], ['initial', 'audio', { lang: 'fr' }], ['attach']]);
  });

  it("starts in the profile's audio language when dash.js began elsewhere, and lists every track", () => {
    const { fire, media, trackCalls, tracks } = wire({ audioLanguage: 'fr-CA', captionLanguage: null });
    media.audio = [english, french];
    media.currentAudio = english;
    fire('STREAM_INITIALIZED', {});
    expect(trackCalls.at(-1)).toEqual(['audio', 'fr']);
    expect(tracks()).toMatchObject({
      audio: [
        { id: '0', language: 'en', label: 'English', main: true },
        { id: '1', language: 'fr', label: 'French', main: false },
      ],
      audioId: '1',
    });
  });

  it('keeps the main audio when the profile has no language, without switching', () => {
    const { fire, media, trackCalls, tracks } = wire();
    media.audio = [english, french];
    media.currentAudio = english;
    fire('STREAM_INITIALIZED', {});
    expect(trackCalls.filter(([kind]) => kind === 'audio')).toEqual([]);
    expect(tracks()?.audioId).toBe('0');
  });

  it("shows the captions in the profile's caption language, and none when it has none", () => {
    const withGerman = wire({ audioLanguage: null, captionLanguage: 'de' });
    withGerman.fire('TEXT_TRACKS_ADDED', { tracks: textTracks });
    expect(withGerman.trackCalls.at(-1)).toEqual(['text', 1]);
    expect(withGerman.tracks()).toMatchObject({ captions: [{ language: 'en' }, { language: 'de' }], captionsId: '1' });

    const off = wire();
    off.fire('TEXT_TRACKS_ADDED', { tracks: textTracks });
    expect(off.trackCalls.at(-1)).toEqual(['text', -1]);
    expect(off.tracks()?.captionsId).toBeNull();
  });

  it("switches audio in place on the viewer's pick: no new source, the same player", () => {
    const { fire, media, dash, sources, trackCalls, tracks } = wire();
    media.audio = [english, french];
    media.currentAudio = english;
    fire('STREAM_INITIALIZED', {});
    dash.selectAudio('1');
    expect(trackCalls.at(-1)).toEqual(['audio', 'fr']);
    expect(sources).toHaveLength(1);
    expect(tracks()?.audioId).toBe('1');
    fire('TEXT_TRACKS_ADDED', { tracks: textTracks });
    dash.selectCaptions('0');
    expect(trackCalls.at(-1)).toEqual(['text', 0]);
    dash.selectCaptions(null);
    expect(trackCalls.at(-1)).toEqual(['text', -1]);
    expect(tracks()?.captionsId).toBeNull();
  });

  it("gives the seek bar the sprite tile under a time, with the freshest token in the sprite's URL", () => {
    const { dash, renew } = wire();
    renew(renewedToken);
    const tiles: unknown[] = [];
    dash.thumbnailAt(25, (tile) => tiles.push(tile));
    dash.thumbnailAt(500, (tile) => tiles.push(tile));
    expect(tiles).toEqual([
      { url: `http://127.0.0.1:8101/c/${renewedToken}/t1/e1/thumbnails-1.jpg`, x: 320, y: 0, width: 160, height: 90 },
      null,
    ]);
  });
});
