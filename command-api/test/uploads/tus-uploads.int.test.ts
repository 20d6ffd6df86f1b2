import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceProbe } from '@marquee/domain';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { probeSource } from '../../src/titles/uploads/probe-source';
import { createTusUploads, type FinishedTusUpload } from '../../src/titles/uploads/tus-uploads';
import { makeTestMedia, type TestMedia } from './test-media';

const maxBytes = 1024 * 1024;
const tus = { 'Tus-Resumable': '1.0.0', Authorization: 'Bearer editor' };
const chunkHeaders = (offset: number) => ({
  ...tus,
  'Upload-Offset': String(offset),
  'Content-Type': 'application/offset+octet-stream',
});
const uploadMetadata = (metadata: Record<string, string>) =>
  Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

let media: TestMedia;
let directory: string;
let http: HttpServer;
let baseUrl: string;
let finished: { upload: FinishedTusUpload; probe: SourceProbe; authorization: string | undefined }[];

beforeAll(async () => {
  media = await makeTestMedia();
  directory = await mkdtemp(join(tmpdir(), 'marquee-tus-'));
  const uploads = createTusUploads<Request>({
    directory,
    maxBytes,
    path: '/titles/uploads',
    authorize: async (req) => {
      if (req.get('authorization') !== 'Bearer editor') throw Object.assign(new Error('Sign in.'), { status: 401 });
    },
    onUploadFinished: async (upload, req) => {
      const probe = await probeSource(upload.path);
      finished.push({ upload, probe, authorization: req.get('authorization') });
    },
  });
  const app = express();
  app.use('/titles/uploads', uploads.handle);
  app.use(((error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.message });
  }) satisfies ErrorRequestHandler);
  http = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http?.close();
  await rm(directory, { recursive: true, force: true });
  await rm(media.directory, { recursive: true, force: true });
});
beforeEach(() => {
  finished = [];
});

const createUpload = async (length: number, metadata: Record<string, string>) => {
  const response = await fetch(`${baseUrl}/titles/uploads`, {
    method: 'POST',
    headers: { ...tus, 'Upload-Length': String(length), 'Upload-Metadata': uploadMetadata(metadata) },
  });
  return { response, location: response.headers.get('location') ?? '' };
};

const patch = (location: string, offset: number, body: Uint8Array) =>
  fetch(location, { method: 'PATCH', headers: chunkHeaders(offset), body });

const offsetOf = async (location: string) => {
  const response = await fetch(location, { method: 'HEAD', headers: tus });
  expect(response.status).toBe(200);
  return Number(response.headers.get('upload-offset'));
};

describe('tus uploads', () => {
  it('takes a video in two PATCHes and hands it over hashed, with its metadata and the request', async () => {
    const file = await readFile(media.clip);
    const half = Math.floor(file.length / 2);

    const { response, location } = await createUpload(file.length, { filename: 'clip.mp4', titleId: 'title-1' });
    expect(response.status).toBe(201);
    expect(location).toMatch(new RegExp(`^${baseUrl}/titles/uploads/[0-9a-f-]{36}$`));

    const first = await patch(location, 0, file.subarray(0, half));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(half));
    expect(finished).toEqual([]);

    const last = await patch(location, half, file.subarray(half));
    expect(last.status).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(file.length));

    const id = location.split('/').pop() ?? '';
    expect(finished).toEqual([
      {
        upload: {
          id,
          path: join(directory, id),
          sizeBytes: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
          metadata: { filename: 'clip.mp4', titleId: 'title-1' },
        },
        probe: expect.objectContaining({ width: 320, height: 240, frameRate: 25, videoCodec: 'h264' }),
        authorization: 'Bearer editor',
      },
    ]);
  });

  it('resumes from the offset HEAD reports after a PATCH is cut off', async () => {
    const file = await readFile(media.clip);
    const { location } = await createUpload(file.length, { filename: 'clip.mp4', titleId: 'title-2' });
    const id = location.split('/').pop() ?? '';

    // The first PATCH sends part of its chunk and then the link drops.
    const cut = new AbortController();
    const interrupted = fetch(location, {
      method: 'PATCH',
      headers: chunkHeaders(0),
      body: new ReadableStream({
        start: (controller) => controller.enqueue(file.subarray(0, 32 * 1024)),
      }),
      duplex: 'half',
      signal: cut.signal,
    } as RequestInit);
    await expect.poll(() => stat(join(directory, id)).then((s) => s.size)).toBeGreaterThan(0);
    cut.abort();
    await expect(interrupted).rejects.toThrow();

    const offset = await offsetOf(location);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(file.length);

    const rest = await patch(location, offset, file.subarray(offset));
    expect(rest.status).toBe(204);
    expect(finished.map((entry) => entry.upload.sha256)).toEqual([createHash('sha256').update(file).digest('hex')]);
  });

  it('refuses an upload longer than the cap with 413 and creates nothing', async () => {
    const before = await readdir(directory);

    const { response } = await createUpload(maxBytes + 1, { filename: 'feature.mov', titleId: 'title-3' });

    expect(response.status).toBe(413);
    expect(await readdir(directory)).toEqual(before);
  });

  it('refuses a file that is not a video with 422 and the reason, and removes it', async () => {
    const file = await readFile(media.text);
    const { location } = await createUpload(file.length, { filename: 'script.mp4', titleId: 'title-4' });
    const id = location.split('/').pop() ?? '';

    const response = await patch(location, 0, file);

    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/the file is not a media file ffprobe can read/);
    expect(finished).toEqual([]);
    expect((await readdir(directory)).filter((name) => name.startsWith(id))).toEqual([]);
    expect((await fetch(location, { method: 'HEAD', headers: tus })).status).toBe(404);
  });

  it('refuses an empty upload when it is created', async () => {
    const { response } = await createUpload(0, { filename: 'nothing.mp4', titleId: 'title-5' });

    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/empty/);
  });

  it('asks authorize before anything else, and passes its refusal to express', async () => {
    const response = await fetch(`${baseUrl}/titles/uploads`, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' },
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Sign in.' });
  });
});
