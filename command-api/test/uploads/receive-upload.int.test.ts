import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmptyUpload, receiveUpload, UploadTooLarge } from '../../src/titles/uploads/receive-upload';
import { makeTestMedia, type TestMedia } from './test-media';

let media: TestMedia;
let directory: string;

beforeAll(async () => {
  media = await makeTestMedia();
});
afterAll(async () => {
  await rm(media.directory, { recursive: true, force: true });
});
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'marquee-uploads-'));
  return () => rm(directory, { recursive: true, force: true });
});

describe('receiveUpload', () => {
  it('streams the body to disk under the upload id, with its size and sha256', async () => {
    const original = await readFile(media.clip);

    // Small chunks, so the hash and the count are built across many writes.
    const received = await receiveUpload(createReadStream(media.clip, { highWaterMark: 4096 }), {
      directory,
      maxBytes: 10 * 1024 * 1024,
      uploadId: 'upload-1',
    });

    expect(received).toEqual({
      path: join(directory, 'upload-1'),
      sizeBytes: original.length,
      sha256: createHash('sha256').update(original).digest('hex'),
    });
    expect((await readFile(received.path)).equals(original)).toBe(true);
    expect(await readdir(directory)).toEqual(['upload-1']);
  });

  it('refuses a body past the cap as soon as it passes, stops reading it and keeps nothing', async () => {
    const source = createReadStream(media.clip, { highWaterMark: 1024 });

    const refusal = receiveUpload(source, { directory, maxBytes: 10_000, uploadId: 'too-big' });

    await expect(refusal).rejects.toBeInstanceOf(UploadTooLarge);
    await expect(refusal).rejects.toMatchObject({ code: 'UploadTooLarge', maxBytes: 10_000 });
    expect(source.destroyed).toBe(true);
    expect(source.bytesRead).toBeLessThan((await stat(media.clip)).size);
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses a declared size past the cap before reading a byte', async () => {
    const source = createReadStream(media.clip);

    await expect(
      receiveUpload(source, { directory, maxBytes: 10_000, uploadId: 'declared', declaredBytes: 10_001 }),
    ).rejects.toBeInstanceOf(UploadTooLarge);

    // Left whole, so an HTTP caller can still answer 413 on the same connection.
    expect(source.destroyed).toBe(false);
    expect(source.bytesRead).toBe(0);
    source.destroy();
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses an empty body and keeps nothing', async () => {
    await expect(
      receiveUpload(Readable.from([]), { directory, maxBytes: 1000, uploadId: 'empty' }),
    ).rejects.toBeInstanceOf(EmptyUpload);
    expect(await readdir(directory)).toEqual([]);
  });

  it('removes the partial file when the client goes away mid-upload', async () => {
    let outcome: Promise<unknown> = Promise.resolve();
    const server = createServer((req, res) => {
      outcome = receiveUpload(req, { directory, maxBytes: 10 * 1024 * 1024, uploadId: 'abandoned' }).then(
        () => res.end('stored'),
        (error: unknown) => error,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = request({
        port,
        host: '127.0.0.1',
        method: 'PUT',
        path: '/',
        headers: { 'Content-Length': '1000000' },
      });
      client.on('error', () => {});
      client.write(Buffer.alloc(64 * 1024, 1));
      // Wait until the first bytes are on disk, so the abort is really mid-stream.
      await expect
        .poll(async () => {
          const partial = (await readdir(directory)).find(
            (name) => name.startsWith('abandoned.') && name.endsWith('.part'),
          );
          return partial ? (await stat(join(directory, partial))).size : 0;
        })
        .toBeGreaterThan(0);

      client.destroy();

      const error = await outcome;
      expect(error).toBeInstanceOf(Error);
      expect(await readdir(directory)).toEqual([]);
    } finally {
      server.close();
    }
  });
});
