import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  encodedTitle,
  recordEncoding,
  signUpViewer,
  startCommandApi,
} from './command-platform';
import { makeTestMedia, type TestMedia } from './uploads/test-media';

let api: CommandApi;
let media: TestMedia;
beforeAll(async () => {
  api = await startCommandApi({ maxUploadBytes: 2_000_000 });
  media = await makeTestMedia();
});
afterAll(() => api.close());

const newTitle = { name: 'Orbit', synopsis: 'Far out.', genres: ['scifi'], year: 2024, maturityRating: '13+' };
const upload = (titleId: string, file: string, contentType = 'video/mp4') =>
  fetch(`${api.url}/titles/${titleId}/source`, {
    method: 'PUT',
    headers: { 'x-api-key': content.key, 'content-type': contentType },
    body: readFileSync(file),
  });
const eventsOf = async (titleId: string) => {
  const types: string[] = [];
  for await (const event of api.eventStore.readStream(`title-${titleId}`)) types.push(event.type);
  return types;
};

describe('titles', () => {
  it('creates a title and updates only the fields sent', async () => {
    const created = await api.post('/titles', content, newTitle);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ titleId: expect.any(String), ...newTitle });
    const updated = await api.call('PATCH', `/titles/${created.body.titleId}`, content, { year: 2025 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Orbit', synopsis: 'Far out.', year: 2025 });
  });
  it('refuses bad metadata and unknown fields with the field named', async () => {
    const bad = await api.post('/titles', content, { ...newTitle, year: 1500, rating: 'R' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((p: { parameter: string }) => p.parameter).sort()).toEqual(['rating', 'year']);
  });
  it('is for the content team: a viewer token is refused, no credentials are unauthenticated', async () => {
    const ada = await signUpViewer(api, 'basic');
    expect((await api.post('/titles', ada.viewer, newTitle)).status).toBe(403);
    expect((await api.post('/titles', undefined, newTitle)).status).toBe(401);
  });
  it('refuses to publish a title without a successful encoding, saying why', async () => {
    const created = await api.post('/titles', content, newTitle);
    const refused = await api.post(`/titles/${created.body.titleId}/publish`, content);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'TitleNotEncoded',
      message: expect.stringMatching(/no source has been uploaded/),
    });
    expect(await eventsOf(created.body.titleId)).toEqual(['TitleCreated']);
  });
  it('publishes a title once encoded, and unpublishes it', async () => {
    const titleId = await encodedTitle(api, { publish: false });
    const published = await api.post(`/titles/${titleId}/publish`, content);
    expect(published.status).toBe(200);
    expect(published.body.published).toMatchObject({ encodingId: 'e1' });
    expect((await api.post(`/titles/${titleId}/unpublish`, content)).status).toBe(200);
    expect((await api.post(`/titles/${titleId}/unpublish`, content)).status).toBe(409);
  });
  it('answers 404 for a title that does not exist', async () => {
    const missing = await api.post('/titles/nope/publish', content);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('TitleNotFound');
  });
});

describe('uploading a source with PUT', () => {
  it('streams the file to disk, probes it and records it with its sha256 and probe', async () => {
    const { body: title } = await api.post('/titles', content, newTitle);
    const answer = await upload(title.titleId, media.clip);
    const body = (await answer.json()) as { path: string; probe: { durationSeconds: number } };
    expect(answer.status).toBe(201);
    const bytes = readFileSync(media.clip);
    expect(body).toMatchObject({
      titleId: title.titleId,
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      probe: { width: 320, height: 240, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
    });
    expect(body.probe.durationSeconds).toBeCloseTo(2, 0);
    expect(readFileSync(body.path).equals(bytes)).toBe(true);
    expect(await eventsOf(title.titleId)).toEqual(['TitleCreated', 'SourceUploaded']);
  });
  it('refuses a file that is not a video with 422 and the reason, removes it, and records nothing', async () => {
    const { body: title } = await api.post('/titles', content, newTitle);
    const before = readdirSync(api.uploads).length;
    for (const [file, reason] of [
      [media.text, /not a media file/],
      [media.audioOnly, /no video stream/],
    ] as const) {
      const answer = await upload(title.titleId, file);
      expect(answer.status).toBe(422);
      expect(((await answer.json()) as { message: string }).message).toMatch(reason);
    }
    expect(readdirSync(api.uploads)).toHaveLength(before);
    expect(await eventsOf(title.titleId)).toEqual(['TitleCreated']);
  });
  it('refuses what is not sent as a video with 415, and a file past the size limit with 413', async () => {
    const { body: title } = await api.post('/titles', content, newTitle);
    const wrongType = await upload(title.titleId, media.clip, 'text/plain');
    expect(wrongType.status).toBe(415);
    const big = await fetch(`${api.url}/titles/${title.titleId}/source`, {
      method: 'PUT',
      headers: { 'x-api-key': content.key, 'content-type': 'video/mp4' },
      body: Buffer.alloc(3_000_000, 1),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toMatch(/2000000 bytes/);
    expect(await eventsOf(title.titleId)).toEqual(['TitleCreated']);
    expect(readdirSync(api.uploads).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('uploading a source with tus', () => {
  const tus = { 'tus-resumable': '1.0.0', 'x-api-key': content.key };
  const metadata = (titleId: string) =>
    `titleId ${Buffer.from(titleId).toString('base64')},filename ${Buffer.from('clip.mp4').toString('base64')}`;

  it('takes a file in chunks, resumes after an interruption, and records it once finished', async () => {
    const { body: title } = await api.post('/titles', content, newTitle);
    const bytes = readFileSync(media.clip);
    const created = await fetch(`${api.url}/titles/uploads`, {
      method: 'POST',
      headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': metadata(title.titleId) },
    });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location') as string, api.url).toString();
    const half = Math.floor(bytes.length / 2);
    const patch = (offset: number, chunk: Buffer) =>
      fetch(location, {
        method: 'PATCH',
        headers: { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: chunk,
      });
    expect((await patch(0, bytes.subarray(0, half))).status).toBe(204);
    // The link dropped: ask where the upload stands, and carry on from there.
    const head = await fetch(location, { method: 'HEAD', headers: tus });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(half);
    expect((await patch(offset, bytes.subarray(offset))).status).toBe(204);
    expect(await eventsOf(title.titleId)).toEqual(['TitleCreated', 'SourceUploaded']);
    for await (const event of api.eventStore.readStream(`title-${title.titleId}`))
      if (event.type === 'SourceUploaded')
        expect(event.data).toMatchObject({
          sha256: createHash('sha256').update(bytes).digest('hex'),
          sizeBytes: bytes.length,
        });
  });
  it('refuses uploads without the content key, and an upload for a title that does not exist', async () => {
    const refused = await fetch(`${api.url}/titles/uploads`, {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata('x') },
    });
    expect(refused.status).toBe(401);
    const bytes = readFileSync(media.clip);
    const created = await fetch(`${api.url}/titles/uploads`, {
      method: 'POST',
      headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': metadata('no-such-title') },
    });
    const location = new URL(created.headers.get('location') as string, api.url).toString();
    const finished = await fetch(location, {
      method: 'PATCH',
      headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: bytes,
    });
    expect(finished.status).toBe(404);
    const uploadId = location.split('/').at(-1) as string;
    expect(existsSync(join(api.uploads, uploadId))).toBe(false);
  });
});

describe('recording an encoding through the domain', () => {
  it('lets a title encoded elsewhere be published through the API', async () => {
    const { body: title } = await api.post('/titles', content, newTitle);
    await recordEncoding(api.eventStore, title.titleId, [360, 720]);
    expect((await api.post(`/titles/${title.titleId}/publish`, content)).status).toBe(200);
  });
});
