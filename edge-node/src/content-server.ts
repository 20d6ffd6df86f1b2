import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { verifyContentToken } from '@marquee/platform';
import fresh from 'fresh';
import parseRange from 'range-parser';
import type { OriginDisk, ServableFile } from './content-disk';
import { type ContentPath, contentTypeOf, parseContentPath } from './content-path';
import type { EdgeMetrics } from './edge-metrics';
import { redact, upstreamGet } from './upstream';

/*
 * GET /content/<titleId>/<encodingId>/<file>?token=…: the hot path of the CDN. Plain node:http
 * and the jshttp pieces express is made of (fresh for conditional requests, range-parser for
 * Range), so a segment costs one realpath, one stat and a streamed read: no framework, no
 * buffering of the file. Order matters: an unsafe path gets 404 before the token is looked at
 * or the disk is touched; a bad token gets 403 before the disk is touched.
 */

export type ContentServerOptions = {
  disk: OriginDisk & {
    touch?(titleId: string, encodingId: string): void;
    holds?(titleId: string, encodingId: string): boolean;
  };
  contentTokenSecret: string;
  metrics: EdgeMetrics;
  /** An edge's upstream and its fill agent: a miss is streamed through while the title is filled. */
  pullThrough?: { upstream: string; requestFill(titleId: string, encodingId: string): void };
  onError?: (error: unknown, path: string) => void;
};

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag, Last-Modified, X-Cache',
};
const immutable = 'public, max-age=31536000, immutable';
// Large reads mean fewer syscalls per segment; the socket's backpressure still paces them.
const readChunkBytes = 512 * 1024;

const answer = (res: ServerResponse, status: number, error: string, message: string) => {
  const body = JSON.stringify({ error, message });
  res.writeHead(status, {
    ...corsHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
};

const tokenOf = (query: string) => new URLSearchParams(query).get('token') ?? '';

const sendFile = async (req: IncomingMessage, res: ServerResponse, file: ServableFile, metrics: EdgeMetrics) => {
  const { size, mtime } = file.stats;
  const etag = `"${size.toString(16)}-${Math.floor(mtime.getTime()).toString(16)}"`;
  const lastModified = mtime.toUTCString();
  const headers: Record<string, string | number> = {
    ...corsHeaders,
    'Content-Type': contentTypeOf(file.path),
    'Cache-Control': immutable,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': lastModified,
  };
  if (fresh(req.headers, { etag, 'last-modified': lastModified })) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let start = 0;
  let end = size - 1;
  let status = 200;
  const rangeHeader = req.headers.range;
  const ifRange = req.headers['if-range'];
  const rangeApplies = rangeHeader && (!ifRange || ifRange === etag || ifRange === lastModified);
  if (rangeApplies) {
    const ranges = parseRange(size, rangeHeader, { combine: true });
    if (ranges === -1) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
      res.end();
      return;
    }
    // A malformed header is ignored, as RFC 9110 allows; several ranges get the whole file.
    if (ranges !== -2 && ranges.length === 1 && ranges[0]) {
      ({ start, end } = ranges[0]);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start, end, highWaterMark: readChunkBytes });
  let sent = 0;
  stream.on('data', (chunk) => {
    sent += chunk.length;
  });
  try {
    await pipeline(stream, res);
  } finally {
    metrics.served(sent);
  }
};

/** A miss: the same request to the upstream, answered as it arrives; the fill stores the title meanwhile. */
const streamThrough = async (
  req: IncomingMessage,
  res: ServerResponse,
  path: ContentPath,
  token: string,
  options: NonNullable<ContentServerOptions['pullThrough']>,
  metrics: EdgeMetrics,
) => {
  const url = `${options.upstream.replace(/\/+$/, '')}${path.pathname
    .split('/')
    .map(encodeURIComponent)
    .join('/')}?token=${encodeURIComponent(token)}`;
  const forwarded: Record<string, string> = {};
  for (const name of ['range', 'if-range', 'if-none-match', 'if-modified-since'] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const upstream = await upstreamGet(url, { headers: forwarded, signal: controller.signal });
  const status = upstream.statusCode ?? 502;
  if (status >= 400) {
    upstream.resume();
    if (status === 404) return answer(res, 404, 'NotFound', 'No such file.');
    return answer(res, 502, 'UpstreamError', `The upstream answered ${status}.`);
  }
  const headers: Record<string, string> = { ...corsHeaders, 'Cache-Control': immutable, 'X-Cache': 'miss' };
  for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified']) {
    const value = upstream.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    upstream.resume();
    res.end();
    return;
  }
  let sent = 0;
  upstream.on('data', (chunk: Buffer) => {
    sent += chunk.length;
  });
  try {
    await pipeline(upstream, res);
  } finally {
    metrics.served(sent);
  }
};

export const createContentHandler = (options: ContentServerOptions) => {
  const { disk, metrics } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    // Not `new URL()`: it would resolve `..` and `%2e%2e` before anyone could refuse them.
    const pathname = queryAt < 0 ? raw : raw.slice(0, queryAt);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders,
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Range, If-None-Match, If-Modified-Since, If-Range',
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD, OPTIONS');
      return answer(res, 405, 'MethodNotAllowed', 'Content is read with GET or HEAD.');
    }
    const path = parseContentPath(pathname);
    if (!path) {
      metrics.request('not_found');
      return answer(res, 404, 'NotFound', 'No such file.');
    }
    const token = tokenOf(queryAt < 0 ? '' : raw.slice(queryAt + 1));
    const check = verifyContentToken(options.contentTokenSecret, token, path.pathname);
    if (!check.ok) {
      metrics.request('refused');
      const why = {
        malformed: 'Send the content token from playback start as ?token=.',
        expired: 'The content token has expired; start playback again for a new one.',
        invalid: 'The content token is not valid for this title.',
      }[check.reason];
      return answer(res, 403, 'Forbidden', why);
    }
    try {
      const file = await disk.resolve(path);
      if (file) {
        metrics.request('hit');
        disk.touch?.(path.titleId, path.encodingId);
        res.setHeader('X-Cache', 'hit');
        return await sendFile(req, res, file, metrics);
      }
      if (!options.pullThrough || disk.holds?.(path.titleId, path.encodingId)) {
        metrics.request('not_found');
        return answer(res, 404, 'NotFound', 'No such file.');
      }
      metrics.request('miss');
      options.pullThrough.requestFill(path.titleId, path.encodingId);
      return await streamThrough(req, res, path, token, options.pullThrough, metrics);
    } catch (error) {
      // A viewer who closes the tab mid-segment is not an error worth a log line.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || res.destroyed) return;
      options.onError?.(error, redact(raw));
      if (!res.headersSent) return answer(res, 502, 'UpstreamError', 'The content could not be fetched.');
      res.destroy();
    }
  };
};
