import { createHash } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  contentUrl,
  encodePackagePath,
  type PackageFile,
  redactContentToken,
  signContentToken,
} from '@marquee/platform';

/*
 * Talking to the upstream (the origin, or the edge above this one). node:http rather than
 * fetch: a fill moves hundreds of megabytes and Node streams hand the bytes on with less copying.
 */

export class UpstreamError extends Error {
  constructor(
    message: string,
    /** A wrong answer (404, bad checksum) rather than a network hiccup: trying again won't help soon. */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

const upstreamIdleMs = 20_000;

export const upstreamGet = (
  url: string,
  options: { signal?: AbortSignal; headers?: Record<string, string>; method?: 'GET' | 'HEAD' } = {},
): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.signal && { signal: options.signal }),
    });
    // An upstream that accepts and then stalls must not hold a fill (or a viewer) forever.
    request.setTimeout(upstreamIdleMs, () =>
      request.destroy(new UpstreamError(`the upstream stopped answering ${redactContentToken(url)}`, false)),
    );
    request.once('response', resolve);
    request.once('error', (error) =>
      reject(
        options.signal?.aborted
          ? error
          : new UpstreamError(`the upstream did not answer ${redactContentToken(url)}: ${error.message}`, false),
      ),
    );
    request.end();
  });

/**
 * An edge fetching from its upstream signs its own token: no session, no height cap, no
 * pathways, so the upstream serves every file as stored (manifests included, which the fill
 * verifies against index.json byte for byte).
 */
export const upstreamPackageBase = (options: {
  upstream: string;
  contentTokenSecret: string;
  titleId: string;
  encodingId: string;
  ttlSeconds: number;
  now?: Date;
}) => {
  const { token } = signContentToken(
    options.contentTokenSecret,
    { titleId: options.titleId, encodingId: options.encodingId },
    { sessionId: null, maxHeight: null, region: null, pathways: [] },
    { ttlSeconds: options.ttlSeconds, ...(options.now && { now: options.now }) },
  );
  return contentUrl(options.upstream, token, options.titleId, options.encodingId);
};

// A pull-through token only has to last the request.
const pullThroughTokenSeconds = 300;

/** A file at the upstream with a short-lived fill token: what a miss asks for, as stored. */
export const pullThroughUrl = (
  upstream: string,
  options: { contentTokenSecret: string; now?: () => Date },
  path: { titleId: string; encodingId: string; file: string },
) =>
  `${upstreamPackageBase({
    upstream,
    contentTokenSecret: options.contentTokenSecret,
    titleId: path.titleId,
    encodingId: path.encodingId,
    ttlSeconds: pullThroughTokenSeconds,
    now: (options.now ?? (() => new Date()))(),
  })}${encodePackagePath(path.file)}`;

const failIfNotOk = (response: IncomingMessage, url: string) => {
  const status = response.statusCode ?? 0;
  if (status === 200) return;
  response.resume();
  throw new UpstreamError(
    `the upstream answered ${status} for ${redactContentToken(url)}`,
    status >= 400 && status < 500,
  );
};

/**
 * A body that broke off because the upstream closed the connection midway (an abort, a reset, a
 * stall) is the upstream's failure, and says so; this side stopping reading it is not.
 */
export const cutOffByUpstream = (error: unknown, what: string, bytes: number) =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET'
    ? new UpstreamError(`the upstream cut off ${what} after ${bytes} bytes`, false)
    : error;

export const fetchUpstreamText = async (url: string, signal?: AbortSignal): Promise<string> => {
  const response = await upstreamGet(url, signal ? { signal } : {});
  failIfNotOk(response, url);
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk;
  return text;
};

/** A shared byte budget per second (token bucket): every fill download draws from it. */
export type RateLimiter = { take(bytes: number, signal?: AbortSignal): Promise<void> };

export const createRateLimiter = (bytesPerSecond: number): RateLimiter => {
  // Up to a quarter second of burst keeps the pace smooth without a timer per chunk.
  const burst = Math.max(bytesPerSecond / 4, 64 * 1024);
  let available = burst;
  let updatedAt = performance.now();
  return {
    take: async (bytes, signal) => {
      const now = performance.now();
      available = Math.min(burst, available + ((now - updatedAt) / 1000) * bytesPerSecond);
      updatedAt = now;
      available -= bytes;
      if (available >= 0) return;
      const waitMs = (-available / bytesPerSecond) * 1000;
      await new Promise<void>((resolve, reject) => {
        const abort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', abort);
          resolve();
        }, waitMs);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
  };
};

const throttled = (limiter: RateLimiter, signal?: AbortSignal) =>
  new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      limiter.take(chunk.length, signal).then(
        () => done(null, chunk),
        (error) => done(error),
      );
    },
  });

/**
 * Downloads one package file to `destination`, hashing on the way: the file appears under its
 * name only when its size and sha256 match the index, so a half-written or wrong file is never
 * taken for a good one.
 */
export const downloadVerified = async (options: {
  url: string;
  expected: PackageFile;
  destination: string;
  temporary: string;
  /** Opens the temporary file for writing (the edge's disk). */
  open: (path: string) => Writable;
  limiter?: RateLimiter | undefined;
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}): Promise<void> => {
  const { url, expected, destination, temporary, open, limiter, signal, onBytes } = options;
  await mkdir(dirname(destination), { recursive: true });
  const response = await upstreamGet(url, signal ? { signal } : {});
  failIfNotOk(response, url);
  const hash = createHash('sha256');
  let size = 0;
  // Hashed as the chunks go by, on their way to the file: no extra stream stage in between.
  response.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    onBytes?.(chunk.length);
  });
  const stages = limiter ? [response, throttled(limiter, signal)] : [response];
  try {
    await pipeline([...stages, open(temporary)], signal ? { signal } : {});
    const sha256 = hash.digest('hex');
    if (size !== expected.size || sha256 !== expected.sha256) {
      throw new UpstreamError(
        size !== expected.size
          ? `${expected.path} arrived with ${size} bytes, index.json says ${expected.size}`
          : `${expected.path} arrived with a sha256 that differs from index.json`,
        true,
      );
    }
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    throw cutOffByUpstream(error, expected.path, size);
  }
};
