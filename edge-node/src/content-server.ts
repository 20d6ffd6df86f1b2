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
  /** Behind nginx: hits are answered with X-Accel-Redirect to this internal location. */
  accelRedirect?: string;
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

type Plan =
  | { status: 304 | 416; headers: Record<string, string | number> }
  | { status: 200 | 206; headers: Record<string, string | number>; start: number; end: number; length: number };

/** What a request for this file gets: validators, conditional requests and Range (RFC 9110). */
const planResponse = (req: IncomingMessage, file: ServableFile): Plan => {
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
  if (fresh(req.headers, { etag, 'last-modified': lastModified })) return { status: 304, headers };
  const rangeHeader = req.headers.range;
  const ifRange = req.headers['if-range'];
  if (rangeHeader && (!ifRange || ifRange === etag || ifRange === lastModified)) {
    const ranges = parseRange(size, rangeHeader, { combine: true });
    if (ranges === -1) return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } };
    // A malformed header is ignored, as RFC 9110 allows; several ranges get the whole file.
    if (ranges !== -2 && ranges.length === 1 && ranges[0]) {
      const { start, end } = ranges[0];
      headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      headers['Content-Length'] = end - start + 1;
      return { status: 206, headers, start, end, length: end - start + 1 };
    }
  }
  headers['Content-Length'] = size;
  return { status: 200, headers, start: 0, end: Math.max(size - 1, 0), length: size };
};

const sendFile = async (req: IncomingMessage, res: ServerResponse, file: ServableFile, metrics: EdgeMetrics) => {
  const plan = planResponse(req, file);
  res.writeHead(plan.status, plan.headers);
  if (!('length' in plan) || req.method === 'HEAD' || plan.length === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start: plan.start, end: plan.end, highWaterMark: readChunkBytes });
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

/** Behind nginx: the decision is made here, the bytes are sent by nginx (sendfile) from the same folder. */
const redirectToFile = (
  req: IncomingMessage,
  res: ServerResponse,
  path: ContentPath,
  location: string,
  file: ServableFile,
  metrics: EdgeMetrics,
) => {
  const plan = planResponse(req, file);
  if (req.method !== 'HEAD' && 'length' in plan) metrics.served(plan.length);
  const segments = [path.titleId, path.encodingId, ...path.file.split('/')].map(encodeURIComponent);
  res.writeHead(200, { 'X-Accel-Redirect': `${location}/${segments.join('/')}` });
  res.end();
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
  const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
  const upstream = await upstreamGet(url, { headers: forwarded, signal: controller.signal, method });
  const status = upstream.statusCode ?? 502;
  if (status >= 400) {
    upstream.resume();
    if (status === 404) return answer(res, 404, 'NotFound', 'No such file.');
    if (status === 416) {
      const range = upstream.headers['content-range'];
      res.writeHead(416, { ...corsHeaders, ...(typeof range === 'string' && { 'Content-Range': range }) });
      res.end();
      return;
    }
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
        if (options.accelRedirect) return redirectToFile(req, res, path, options.accelRedirect, file, metrics);
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
