import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { streamName } from '@marquee/domain';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  contentKey,
  createdTitle,
  eventTypes,
  signUpViewer,
  startCommandApi,
} from './command-platform';
import { makeTestMedia, type TestMedia } from './uploads/test-media';

/*
 * What the content team adds to a title beside its source (captions per language, audio tracks
 * per language, the languages of the source's own audio) and the languages a viewer's profile
 * starts playback in, through the API as their tools call it.
 */

let api: CommandApi;
let media: TestMedia;
beforeAll(async () => {
  [api, media] = await Promise.all([startCommandApi(), makeTestMedia()]);
});
afterAll(async () => {
  await api.close();
  await rm(media.directory, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: each test reads the fields it asserts.
const titleEvents = async (titleId: string, type: string): Promise<any[]> => {
  const found = [];
  for await (const event of api.eventStore.readStream(streamName('title', titleId)))
    if (event.type === type) found.push(event.data);
  return found;
};

const storedCaptions = () =>
  readdir(join(api.uploads, 'captions')).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });

const put = (
  path: string,
  body: string | Buffer,
  contentType: string | undefined,
  headers: Record<string, string> = {},
) =>
  fetch(`${api.url}${path}`, {
    method: 'PUT',
    headers: { 'x-api-key': contentKey, ...(contentType && { 'content-type': contentType }), ...headers },
    body,
  }).then(async (response) => ({
    status: response.status,
    // biome-ignore lint/suspicious/noExplicitAny: each test asserts the shape of the bodies it reads.
    body: (await response.json()) as any,
    headers: response.headers,
  }));

const vtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello\n\n2\n00:00:02.500 --> 00:00:04.000\nWorld\n';

describe('captions', () => {
  it('refuses a file with a broken cue with 422 naming its line: no event, no file kept', async () => {
    const titleId = await createdTitle(api);
    const files = await storedCaptions();
    const broken = vtt.replace('00:00:02.500 --> 00:00:04.000', '00:00:02.500 --> 00:00:0X.000');

    const refused = await put(`/titles/${titleId}/captions/fr`, broken, 'text/vtt');

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: 'InvalidCaptions',
      message: expect.stringMatching(/line 8/),
      details: { line: 8 },
    });
    expect(await titleEvents(titleId, 'CaptionsAdded')).toEqual([]);
    expect(await storedCaptions()).toEqual(files);
  });

  it('keeps WebVTT by its sha256 and records it with its language, name and cue count', async () => {
    const titleId = await createdTitle(api);

    const added = await put(`/titles/${titleId}/captions/FRE`, `\uFEFF${vtt.replaceAll('\n', '\r\n')}`, 'text/vtt');

    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      titleId,
      language: 'fr',
      name: 'French',
      cueCount: 2,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const [event] = await titleEvents(titleId, 'CaptionsAdded');
    expect(event).toMatchObject({ language: 'fr', cueCount: 2, sha256: added.body.sha256 });
    expect(event.path).toBe(join(api.uploads, 'captions', `${added.body.sha256}.vtt`));
    expect(await readFile(event.path, 'utf8')).toBe(vtt);
  });

  it('converts SRT to WebVTT, by its content type or by its content', async () => {
    const titleId = await createdTitle(api);
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,500 --> 00:00:04,000\nWorld\n';

    const typed = await put(`/titles/${titleId}/captions/en`, srt, 'application/x-subrip');
    const untyped = await put(`/titles/${titleId}/captions/de`, srt, 'text/plain');

    expect(typed.status).toBe(200);
    expect(untyped.body.sha256).toBe(typed.body.sha256);
    const [english] = await titleEvents(titleId, 'CaptionsAdded');
    expect(await readFile(english.path, 'utf8')).toBe(vtt);
  });

  it('records the same file sent twice once, and another file in the language as a replacement', async () => {
    const titleId = await createdTitle(api);
    const path = `/titles/${titleId}/captions/en`;

    const first = await put(path, vtt, 'text/vtt');
    const again = await put(path, vtt, 'text/vtt');
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(await titleEvents(titleId, 'CaptionsAdded')).toHaveLength(1);

    const corrected = await put(path, vtt.replace('World', 'Everyone'), 'text/vtt');
    expect(corrected.status).toBe(200);
    expect(corrected.body.sha256).not.toBe(first.body.sha256);
    expect((await titleEvents(titleId, 'CaptionsAdded')).map((event) => event.sha256)).toEqual([
      first.body.sha256,
      corrected.body.sha256,
    ]);
  });

  it('replays a keyed retry, and refuses the same key with another file', async () => {
    const titleId = await createdTitle(api);
    const path = `/titles/${titleId}/captions/en`;
    const key = { 'idempotency-key': `captions-${titleId}` };

    const first = await put(path, vtt, 'text/vtt', key);
    const retry = await put(path, vtt, 'text/vtt', key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);

    const other = await put(path, vtt.replace('World', 'Everyone'), 'text/vtt', key);
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('IdempotencyKeyReused');
    expect(await titleEvents(titleId, 'CaptionsAdded')).toHaveLength(1);
  });

  it('refuses a language that is no tag, another content type, a file too large and an unknown title', async () => {
    const titleId = await createdTitle(api);

    const language = await put(`/titles/${titleId}/captions/klingon!`, vtt, 'text/vtt');
    expect(language.status).toBe(400);
    expect(language.body.details).toEqual([
      { in: 'path', parameter: 'language', message: expect.stringMatching(/not a language tag/) },
    ]);
    expect((await put(`/titles/${titleId}/captions/en`, vtt, 'application/json')).status).toBe(415);
    const large = await put(`/titles/${titleId}/captions/en`, `${vtt}\n${'x'.repeat(2 * 1024 * 1024)}`, 'text/vtt');
    expect(large.status).toBe(413);
    expect((await put('/titles/no-such-title/captions/en', vtt, 'text/vtt')).status).toBe(404);
    expect(await titleEvents(titleId, 'CaptionsAdded')).toEqual([]);
  });
});

/** The reference tus client, as a content team's uploader runs it. */
const tusUpload = (file: Buffer, metadata: Record<string, string>) =>
  new Promise<void>((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: `${api.url}/titles/uploads`,
      headers: { 'x-api-key': contentKey },
      metadata,
      chunkSize: Math.ceil(file.length / 2),
      retryDelays: [],
      onError: reject,
      onSuccess: () => resolve(),
    });
    upload.start();
  });

describe('audio tracks', () => {
  it('records an audio file sent by PUT with its language', async () => {
    const titleId = await createdTitle(api);

    const added = await put(`/titles/${titleId}/audio/fr`, await readFile(media.audioOnly), 'audio/mp4');

    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ titleId, language: 'fr', name: 'French', codec: 'aac', channels: 1 });
    const [event] = await titleEvents(titleId, 'AudioTrackAdded');
    expect(event).toMatchObject({ trackId: added.body.trackId, language: 'fr', sha256: added.body.sha256 });
    expect((await readFile(event.path)).equals(await readFile(media.audioOnly))).toBe(true);
  });

  it('records an audio file sent with the reference tus client (kind=audio, language), a video in it ignored', async () => {
    const titleId = await createdTitle(api);

    await tusUpload(await readFile(media.twoLanguages), { titleId, kind: 'audio', language: 'pt-br' });

    const [event] = await titleEvents(titleId, 'AudioTrackAdded');
    expect(event).toMatchObject({ language: 'pt-BR', sizeBytes: (await readFile(media.twoLanguages)).length });
    expect(await eventTypes(api.eventStore, streamName('title', titleId))).not.toContain('SourceUploaded');
  });

  it('refuses a file without sound with 422 UnusableAudioTrack, by PUT and by tus: nothing recorded, nothing kept', async () => {
    const titleId = await createdTitle(api);
    const filesBefore = await readdir(api.uploads);

    const refused = await put(`/titles/${titleId}/audio/fr`, await readFile(media.silent), 'video/mp4');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: 'UnusableAudioTrack',
      message: expect.stringMatching(/no audio stream/),
    });
    await expect(tusUpload(await readFile(media.silent), { titleId, kind: 'audio', language: 'fr' })).rejects.toThrow(
      /response code: 422.*no audio stream/,
    );

    expect(await titleEvents(titleId, 'AudioTrackAdded')).toEqual([]);
    const filesAfter = await readdir(api.uploads);
    expect(filesAfter.filter((name) => !name.endsWith('.json') && !filesBefore.includes(name))).toEqual([]);
  });

  it('refuses a tus upload whose metadata names no language before a byte is sent', async () => {
    const titleId = await createdTitle(api);
    await expect(tusUpload(await readFile(media.audioOnly), { titleId, kind: 'audio' })).rejects.toThrow(
      /method: POST.*response code: 400.*language/,
    );
    await expect(
      tusUpload(await readFile(media.audioOnly), { titleId, kind: 'audio', language: 'not a language' }),
    ).rejects.toThrow(/response code: 400.*not a language tag/);
  });
});

describe("the languages of a source's audio streams", () => {
  it('takes them from the stream tags when not given, canonical', async () => {
    const titleId = await createdTitle(api);
    const uploaded = await put(`/titles/${titleId}/source`, await readFile(media.twoLanguages), 'video/mp4');
    expect(uploaded.status).toBe(201);
    const [event] = await titleEvents(titleId, 'SourceUploaded');
    expect(event.probe.audioStreams).toEqual([
      { codec: 'aac', language: 'en', channels: 2 },
      { codec: 'aac', language: 'fr', channels: 2 },
    ]);
    expect(event).not.toHaveProperty('audioLanguages');
  });

  it('records the languages given by PUT query and by tus metadata, in order', async () => {
    const byPut = await createdTitle(api);
    const file = await readFile(media.twoLanguages);
    const uploaded = await put(`/titles/${byPut}/source?audioLanguages=de,und`, file, 'video/mp4');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.audioLanguages).toEqual(['de', null]);
    expect((await titleEvents(byPut, 'SourceUploaded'))[0].audioLanguages).toEqual(['de', null]);

    // A keyed retry that names other languages is another request, not a retry.
    const keyed = { 'idempotency-key': `source-${byPut}` };
    const second = await put(`/titles/${byPut}/source?audioLanguages=fr,en`, file, 'video/mp4', keyed);
    expect(second.status).toBe(201);
    const otherLanguages = await put(`/titles/${byPut}/source?audioLanguages=en,fr`, file, 'video/mp4', keyed);
    expect(otherLanguages.body.error).toBe('IdempotencyKeyReused');

    const byTus = await createdTitle(api);
    await tusUpload(file, { titleId: byTus, audioLanguages: 'fre,EN' });
    expect((await titleEvents(byTus, 'SourceUploaded'))[0].audioLanguages).toEqual(['fr', 'en']);
  });

  it('refuses a tag that is no language, and a list that does not name each stream: nothing recorded', async () => {
    const titleId = await createdTitle(api);
    const file = await readFile(media.twoLanguages);

    const notATag = await put(`/titles/${titleId}/source?audioLanguages=en,xx-!`, file, 'video/mp4');
    expect(notATag.status).toBe(400);
    expect(notATag.body.details).toEqual([
      { in: 'query', parameter: 'audioLanguages.1', message: expect.stringMatching(/not a language tag/) },
    ]);
    const tooFew = await put(`/titles/${titleId}/source?audioLanguages=en`, file, 'video/mp4');
    expect(tooFew.status).toBe(422);
    expect(tooFew.body).toMatchObject({
      error: 'AudioLanguagesMismatch',
      message: expect.stringMatching(/names 1 language.*2 audio stream/),
    });
    expect(await titleEvents(titleId, 'SourceUploaded')).toEqual([]);
  });
});

describe('profile languages', () => {
  const languages = (accountId: string, profileId: string) => `/accounts/${accountId}/profiles/${profileId}/languages`;

  it('sets the audio and caption languages a profile starts playback with, and clears them', async () => {
    const ada = await signUpViewer(api, 'standard');
    const path = languages(ada.accountId, ada.profileId);

    const set = await api.call('PUT', path, ada.viewer, { audioLanguage: 'FRE', captionLanguage: 'en' });
    expect(set).toMatchObject({
      status: 200,
      body: { profileId: ada.profileId, audioLanguage: 'fr', captionLanguage: 'en' },
    });
    await api.call('PUT', path, ada.viewer, { audioLanguage: 'FRE', captionLanguage: 'en' });
    const cleared = await api.call('PUT', path, ada.viewer, { audioLanguage: null, captionLanguage: null });
    expect(cleared.body).toEqual({ profileId: ada.profileId, audioLanguage: null, captionLanguage: null });

    // biome-ignore lint/suspicious/noExplicitAny: the fields asserted.
    const setEvents: any[] = [];
    for await (const event of api.eventStore.readStream(streamName('account', ada.accountId)))
      if (event.type === 'ProfileLanguagesSet') setEvents.push(event.data);
    expect(setEvents).toMatchObject([
      { profileId: ada.profileId, audioLanguage: 'fr', captionLanguage: 'en' },
      { profileId: ada.profileId, audioLanguage: null, captionLanguage: null },
    ]);
  });

  it("refuses someone else's profile, an unknown one, and a tag that is no language", async () => {
    const ada = await signUpViewer(api, 'basic');
    const bob = await signUpViewer(api, 'basic');
    const body = { audioLanguage: 'fr', captionLanguage: null };
    const before = await eventTypes(api.eventStore, streamName('account', ada.accountId));

    const foreign = await api.call('PUT', languages(ada.accountId, ada.profileId), bob.viewer, body);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('NotYourAccount');
    const unknown = await api.call('PUT', languages(ada.accountId, 'nope'), ada.viewer, body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('ProfileNotFound');
    const notATag = await api.call('PUT', languages(ada.accountId, ada.profileId), ada.viewer, {
      ...body,
      captionLanguage: 'subtitles please',
    });
    expect(notATag.status).toBe(400);
    expect(notATag.body.details[0].parameter).toBe('captionLanguage');
    const asContent = await api.call('PUT', languages(ada.accountId, ada.profileId), content, body);
    expect(asContent.status).toBe(403);

    expect(await eventTypes(api.eventStore, streamName('account', ada.accountId))).toEqual(before);
  });
});
