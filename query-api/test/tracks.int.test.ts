import { accountDecider, type PackageTracks, streamName, titleDecider } from '@marquee/domain';
import { type EventStore, handleCommand } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  content,
  createTitle,
  encodeAndPublish,
  openStores,
  rebuildViews,
  registerViewer,
  type Served,
  type Stores,
  serve,
  stopSample,
  viewerToken,
} from './sample-platform';

/*
 * A title packaged with two audio languages, captions and seek previews, then revised with
 * Spanish captions (the revision goes live as it succeeds); an old title packaged before tracks
 * existed; and a viewer whose profile prefers French audio with English captions.
 */

const sha = (seed: string) => seed.repeat(64).slice(0, 64);
const at = (day: string) => `2026-04-${day}T10:00:00.000Z`;
const thumbnails = { intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 };
const firstTracks: PackageTracks = {
  audio: [
    { language: 'en', trackId: null },
    { language: null, trackId: null },
    { language: 'fr', trackId: 'tr-fr' },
  ],
  captions: [{ language: 'en', sha256: sha('c') }],
  thumbnails,
};
const revisedTracks: PackageTracks = {
  ...firstTracks,
  captions: [...firstTracks.captions, { language: 'es', sha256: sha('e') }],
};

const succeeded = (encodingId: string, tracks: PackageTracks) => ({
  type: 'RecordEncodingSucceeded' as const,
  encodingId,
  ladder: [{ width: 1280, height: 720, videoBitrateKbps: 3000 }],
  manifestPath: `t-babel/${encodingId}/manifest.mpd`,
  packageIndex: { files: 20, bytes: 6_000_000, sha256: sha('b') },
  durationSeconds: 600,
  encodeSeconds: 30,
  tracks,
  at: at('03'),
});

const writeWorld = async (store: EventStore, options: { revised: boolean }) => {
  const title = (command: Parameters<typeof titleDecider.decide>[0]) =>
    handleCommand(store, streamName('title', 't-babel'), titleDecider, command);
  await createTitle(store, { titleId: 't-babel', name: 'Babel Nights', genres: ['drama'] }, at('01'));
  await title({
    type: 'AddAudioTrack',
    trackId: 'tr-fr',
    language: 'fr',
    path: '/uploads/tr-fr.m4a',
    sizeBytes: 1000,
    sha256: sha('f'),
    at: at('02'),
  });
  await title({
    type: 'AddCaptions',
    language: 'en',
    path: '/uploads/en.vtt',
    sha256: sha('c'),
    cueCount: 40,
    at: at('02'),
  });
  await title(succeeded('t-babel-enc', firstTracks));
  await title({ type: 'PublishTitle', at: at('03') });
  await title({
    type: 'AddCaptions',
    language: 'es',
    path: '/uploads/es.vtt',
    sha256: sha('e'),
    cueCount: 38,
    at: at('04'),
  });
  if (options.revised) {
    await title({
      type: 'RecordEncodingStarted',
      encodingId: 't-babel-rev',
      uploadId: 't-babel-src',
      revisionOf: 't-babel-enc',
      at: at('05'),
    });
    await title({ ...succeeded('t-babel-rev', revisedTracks), at: at('05') });
  }

  await createTitle(store, { titleId: 't-old', name: 'Old Reel', genres: ['drama'] }, at('01'));
  await encodeAndPublish(store, 't-old', at('03'));

  await registerViewer(store, 'a-lin', ['p-lin', 'p-kid'], at('01'));
  await handleCommand(store, streamName('account', 'a-lin'), accountDecider, {
    type: 'SetProfileLanguages',
    profileId: 'p-lin',
    audioLanguage: 'fr',
    captionLanguage: 'en',
    at: at('02'),
  });
};

const start = async (options: { revised: boolean }) => {
  const stores = await openStores();
  await writeWorld(stores.eventStore, options);
  await rebuildViews(stores);
  return { stores, api: await serve(stores) };
};

describe('what a viewer can pick while playing', () => {
  let stores: Stores;
  let api: Served;
  let lin: { token: string };
  beforeAll(async () => {
    ({ stores, api } = await start({ revised: true }));
    lin = { token: await viewerToken('a-lin') };
  });
  afterAll(() => stopSample({ api, stores }));

  it('GET /catalog/:titleId names the published revision’s audio and caption languages, in track order, and says it has seek previews', async () => {
    const { status, body } = await api.get('/catalog/t-babel', lin);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      titleId: 't-babel',
      audio: [
        { language: 'en', name: 'English' },
        { language: 'fr', name: 'French' },
      ],
      captions: [
        { language: 'en', name: 'English' },
        { language: 'es', name: 'Spanish' },
      ],
      seekPreviews: true,
    });
  });

  it('lists no tracks and no previews for a title packaged before tracks existed', async () => {
    const { status, body } = await api.get('/catalog/t-old', lin);
    expect(status).toBe(200);
    expect(body).toMatchObject({ audio: [], captions: [], seekPreviews: false });
  });

  it("GET /accounts/:accountId gives each profile's audio and caption languages, null when never set", async () => {
    const { status, body } = await api.get('/accounts/a-lin', lin);
    expect(status).toBe(200);
    expect(body.profiles).toEqual([
      expect.objectContaining({ profileId: 'p-lin', audioLanguage: 'fr', captionLanguage: 'en' }),
      expect.objectContaining({ profileId: 'p-kid', audioLanguage: null, captionLanguage: null }),
    ]);
  });

  it('GET /titles/:titleId shows the content team the revision, its tracks, and the captions and audio tracks added', async () => {
    const { status, body } = await api.get('/titles/t-babel', content);
    expect(status).toBe(200);
    expect(
      body.encodings.map((e: { encodingId: string; revisionOf: string | null }) => [e.encodingId, e.revisionOf]),
    ).toEqual([
      ['t-babel-enc', null],
      ['t-babel-rev', 't-babel-enc'],
    ]);
    expect(body.encodings[1].tracks).toEqual(revisedTracks);
    expect(body.published).toEqual({
      encodingId: 't-babel-rev',
      manifestPath: 't-babel/t-babel-rev/manifest.mpd',
      at: at('05'),
      audioLanguages: ['en', 'fr'],
      captionLanguages: ['en', 'es'],
      seekPreviews: true,
    });
    expect(body.captions).toEqual([
      { language: 'en', sha256: sha('c'), cueCount: 40, at: at('02'), pending: false },
      { language: 'es', sha256: sha('e'), cueCount: 38, at: at('04'), pending: false },
    ]);
    expect(body.audioTracks).toEqual([{ trackId: 'tr-fr', language: 'fr', at: at('02'), pending: false }]);
  });

  it('documents the new fields in the OpenAPI description', async () => {
    const { body } = await api.get('/openapi.json');
    const schemaText = JSON.stringify(body);
    for (const field of ['seekPreviews', 'captionLanguage', 'audioLanguage', 'revisionOf', 'pending'])
      expect(schemaText).toContain(`"${field}"`);
  });
});

describe('before the revision is recorded', () => {
  let stores: Stores;
  let api: Served;
  beforeAll(async () => {
    ({ stores, api } = await start({ revised: false }));
  });
  afterAll(() => stopSample({ api, stores }));

  it('the catalog still offers the published encoding’s captions, and the team sees the new ones pending', async () => {
    const viewer = await api.get('/catalog/t-babel', { token: await viewerToken('a-lin') });
    expect(viewer.body.captions).toEqual([{ language: 'en', name: 'English' }]);
    const team = await api.get('/titles/t-babel', content);
    expect(team.body.captions.map((c: { language: string; pending: boolean }) => [c.language, c.pending])).toEqual([
      ['en', false],
      ['es', true],
    ]);
  });
});
