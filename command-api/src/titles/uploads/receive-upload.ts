/**
 * The simple way in: one streaming request body (a PUT) written to disk as it arrives, hashed and
 * counted on the way, so a source of any size costs a few chunks of memory. The file appears under
 * its final name only when it is whole; a refused or broken upload leaves nothing behind.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The body passed the configured cap; nothing of it is kept. */
export class UploadTooLarge extends Error {
  readonly code = 'UploadTooLarge';
  constructor(readonly maxBytes: number) {
    super(
      `The upload is larger than this server's limit of ${maxBytes} bytes; send a smaller file, or ask an operator to raise the limit.`,
    );
    this.name = 'UploadTooLarge';
  }
}

/** The body had no bytes at all. */
export class EmptyUpload extends Error {
  readonly code = 'EmptyUpload';
  constructor() {
    super('The upload is empty; send the video file as the request body.');
    this.name = 'EmptyUpload';
  }
}

export type ReceivedUpload = { path: string; sizeBytes: number; sha256: string };

export type ReceiveUploadOptions = {
  directory: string;
  maxBytes: number;
  uploadId: string;
  /**
   * The size the client announced (Content-Length), if any. Past the cap it is refused before a
   * byte is read and without destroying the source, so an HTTP caller can still answer 413.
   */
  declaredBytes?: number;
};

export const receiveUpload = async (source: Readable, options: ReceiveUploadOptions): Promise<ReceivedUpload> => {
  const { directory, maxBytes, uploadId, declaredBytes } = options;
  if (declaredBytes !== undefined && declaredBytes > maxBytes) throw new UploadTooLarge(maxBytes);

  const path = join(directory, uploadId);
  // Written under another name so a reader never sees half a file under the final one.
  // Unique, so two requests receiving the same upload never write one file.
  const partPath = `${path}.${randomUUID()}.part`;
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      // Failing the transform makes pipeline destroy the source, so a client streaming too much stops now.
      if (sizeBytes > maxBytes) return callback(new UploadTooLarge(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });

  try {
    await mkdir(directory, { recursive: true });
    await pipeline(source, measure, createWriteStream(partPath));
    if (sizeBytes === 0) throw new EmptyUpload();
    await rename(partPath, path);
  } catch (error) {
    await rm(partPath, { force: true });
    throw error;
  }
  return { path, sizeBytes, sha256: hash.digest('hex') };
};
