import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import {
  type ContentClaims,
  contentTokenRefusals,
  encodePackagePath,
  redactContentToken,
  rungRefusal,
  verifyContentToken,
} from '@marquee/platform';
import fresh from 'fresh';
import parseRange from 'range-parser';
import type { Catalog } from './catalog-follower';
import { readCmcd } from './cmcd';
import type { OriginDisk, ServableFile } from './content-disk';
import { type ContentPath, contentTypeOf, parseContentPath } from './content-path';
import type { EdgeMetrics } from './edge-metrics';
import { answer, corsHeaders, immutable, readRefusal } from './http-answers';
import { isSessionManifest, type ManifestOptions, serveManifest } from './manifest-server';
import type { ServedRequest, ServingStatus } from './serving-tally';
import type { SessionFiguresTable } from './session-figures';
import { cutOffByUpstream, pullThroughUrl, UpstreamError, upstreamGet } from './upstream';

/*
 * GET /c/<token>/<titleId>/<encodingId>/<file>: the hot path of the CDN. Plain node:http and the
 * jshttp pieces express is made of (fresh for conditional requests, range-parser for Range), so
 * a segment costs one realpath, one stat and a streamed read: no framework, no buffering of the
 * file. Order matters: an unsafe path gets 404 before the token is looked at or the disk is
 * touched; a bad token, a withdrawn title or a rung above the session's cap gets 403 before the
 * disk is touched. A session's manifest and master playlist are rewritten for it (manifest-server).
 */

export type ContentServerOptions = {
  disk: OriginDisk & {
    touch?(titleId: string, encodingId: string): void;
    holds?(titleId: string, encodingId: string): boolean;
  };
  contentTokenSecret: string;
  metrics: EdgeMetrics;
  /** Withdrawn titles and where the other pathways are, from the log. */
  catalog: Catalog;
  /** This node's pathway, the origin's URL and the steering server: what a session's manifest names. */
  manifests: ManifestOptions;
  /** What each playback session was served, from its CMCD or its token. */
  sessions?: SessionFiguresTable;
  /** An edge's upstream and its fill agent: a miss is streamed through while the title is filled. */
  pullThrough?: { upstream: string; requestFill(titleId: string, encodingId: string): void };
  /** Behind nginx: hits are answered with X-Accel-Redirect to this internal location. */
  accelRedirect?: string;
  /** Every content request of a title once answered: what it ended as and the bytes it sent (serving telemetry). */
  onServed?: (served: ServedRequest) => void;
  onError?: (error: unknown, path: string) => void;
  now?: () => Date;
};

// Large reads mean fewer syscalls per segment; the socket's backpressure still paces them.
const readChunkBytes = 512 * 1024;

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

const sendFile = async (
  req: IncomingMessage,
  res: ServerResponse,
  file: ServableFile,
  metrics: EdgeMetrics,
  onSent?: (bytes: number) => void,
) => {
  const plan = planResponse(req, file);
  if (!('length' in plan) || req.method === 'HEAD' || plan.length === 0) {
    res.writeHead(plan.status, plan.headers);
    res.end();
    return;
  }
  const stream = createReadStream(file.path, { start: plan.start, end: plan.end, highWaterMark: readChunkBytes });
  // Opened before the status is sent: a file that cannot be read gets an error answer, not a 200 cut short.
  await once(stream, 'ready');
  res.writeHead(plan.status, plan.headers);
  let sent = 0;
  stream.on('data', (chunk) => {
    sent += chunk.length;
  });
  try {
    await pipeline(stream, res);
  } finally {
    metrics.served(sent);
    onSent?.(sent);
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
  onSent?: (bytes: number) => void,
) => {
  const plan = planResponse(req, file);
  if (req.method !== 'HEAD' && 'length' in plan) {
    metrics.served(plan.length);
    onSent?.(plan.length);
  }
  res.writeHead(200, { 'X-Accel-Redirect': `${location}/${encodePackagePath(path.key)}` });
  res.end();
};

/** An upstream's refusal is the viewer's too: its JSON is passed on as it came. */
const passOnRefusal = async (upstream: IncomingMessage, res: ServerResponse) => {
  let body = '';
  upstream.setEncoding('utf8');
  for await (const chunk of upstream) if (body.length < 4096) body += chunk;
  const { error, message } = readRefusal(body);
  return answer(res, 403, error, message);
};

/** A miss: the same request to the upstream, answered as it arrives; the fill stores the title meanwhile. */
const streamThrough = async (
  req: IncomingMessage,
  res: ServerResponse,
  path: ContentPath,
  options: ContentServerOptions & { pullThrough: NonNullable<ContentServerOptions['pullThrough']> },
  onSent?: (bytes: number) => void,
) => {
  const { metrics } = options;
  const url = pullThroughUrl(options.pullThrough.upstream, options, path);
  const forwarded: Record<string, string> = {};
  for (const name of ['range', 'if-range', 'if-none-match', 'if-modified-since'] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
  const upstream = await upstreamGet(url, { headers: forwarded, signal: controller.signal, method }).catch((error) => {
    metrics.request('miss');
    throw error;
  });
  const status = upstream.statusCode ?? 502;
  // Counted once the upstream answered: what it does not have or refuses is not a miss served.
  metrics.request(status === 404 ? 'not_found' : status === 403 ? 'refused' : 'miss');
  if (status >= 400) {
    if (status === 403 && method === 'GET') return await passOnRefusal(upstream, res);
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
  } catch (error) {
    throw cutOffByUpstream(error, path.file, sent);
  } finally {
    metrics.served(sent);
    onSent?.(sent);
  }
};

type Decision =
  | { ok: true; claims: ContentClaims }
  | { ok: false; status: number; error: string; message: string; claims?: ContentClaims };

/** Whether this token may fetch this file now: its signature and expiry, the title, the rung. */
const decide = (options: ContentServerOptions, path: ContentPath, now: Date): Decision => {
  const check = verifyContentToken(options.contentTokenSecret, path.token, path, now);
  if (!check.ok) return { ok: false, status: 403, error: 'Forbidden', message: contentTokenRefusals[check.reason] };
  if (options.catalog.isWithdrawn(path.titleId))
    return {
      ok: false,
      status: 403,
      error: 'TitleUnavailable',
      message: 'This title is no longer available.',
      claims: check.claims,
    };
  const refusal = rungRefusal(check.claims, path.file);
  if (refusal) return { ok: false, status: 403, error: 'Forbidden', message: refusal, claims: check.claims };
  return { ok: true, claims: check.claims };
};

/** A request's own view of the metrics: what it ended as (hit, miss …) and the bytes it sent, for serving telemetry. */
const watchRequest = (metrics: EdgeMetrics) => {
  const watched: { status?: ServingStatus; bytes: number; metrics: EdgeMetrics } = {
    bytes: 0,
    metrics: {
      ...metrics,
      request: (result) => {
        watched.status = result;
        metrics.request(result);
      },
      served: (bytes) => {
        watched.bytes += bytes;
        metrics.served(bytes);
      },
    },
  };
  return watched;
};

/** A request the token allows: a session's manifest, a hit, a miss pulled through, or a 404. */
const serveAllowed = async (
  req: IncomingMessage,
  res: ServerResponse,
  path: ContentPath,
  claims: ContentClaims,
  query: string,
  options: ContentServerOptions,
): Promise<void> => {
  const { disk, metrics, sessions } = options;
  const raw = req.url ?? '/';
  const cmcd = sessions && readCmcd(query, req.headers);
  // The token's session is signed; a CMCD sid is only the player's word, for tokens without one.
  const sessionId = claims.sessionId ?? cmcd?.sessionId;
  const onSent = sessions && sessionId ? sessions.request(sessionId, cmcd) : undefined;
  try {
    // A fill token (no session) gets manifests as stored: the fill checks them against index.json.
    if (claims.sessionId !== null && isSessionManifest(path.file))
      return await serveManifest(req, res, path, claims, options, onSent);
    const file = await disk.resolve(path);
    if (file) {
      metrics.request('hit');
      disk.touch?.(path.titleId, path.encodingId);
      if (options.accelRedirect) return redirectToFile(req, res, path, options.accelRedirect, file, metrics, onSent);
      res.setHeader('X-Cache', 'hit');
      return await sendFile(req, res, file, metrics, onSent);
    }
    if (!options.pullThrough || disk.holds?.(path.titleId, path.encodingId)) {
      metrics.request('not_found');
      return answer(res, 404, 'NotFound', 'No such file.');
    }
    options.pullThrough.requestFill(path.titleId, path.encodingId);
    return await streamThrough(req, res, path, { ...options, pullThrough: options.pullThrough }, onSent);
  } catch (error) {
    // A viewer who closes the tab mid-segment is not an error worth a log line; an upstream that
    // cuts a miss off is (the response is destroyed either way).
    const viewerLeft = (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || res.destroyed;
    if (viewerLeft && !(error instanceof UpstreamError)) return;
    options.onError?.(error, redactContentToken(raw));
    if (!res.headersSent) return answer(res, 502, 'UpstreamError', 'The content could not be fetched.');
    res.destroy();
  }
};

export const createContentHandler = (options: ContentServerOptions) => {
  const { metrics } = options;
  const now = options.now ?? (() => new Date());
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    // Not `new URL()`: it would resolve `..` and `%2e%2e` before anyone could refuse them.
    const pathname = queryAt < 0 ? raw : raw.slice(0, queryAt);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders,
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers':
          'Range, If-None-Match, If-Modified-Since, If-Range, CMCD-Request, CMCD-Object, CMCD-Status, CMCD-Session',
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
    // Serving telemetry watches what the request ends as and the bytes it sends, through its metrics.
    const watched = options.onServed ? watchRequest(metrics) : undefined;
    const requestOptions = watched ? { ...options, metrics: watched.metrics } : options;
    const decision = decide(options, path, now());
    try {
      if (!decision.ok) {
        requestOptions.metrics.request('refused');
        return answer(res, decision.status, decision.error, decision.message);
      }
      await serveAllowed(req, res, path, decision.claims, queryAt < 0 ? '' : raw.slice(queryAt + 1), requestOptions);
    } finally {
      if (watched?.status) {
        const claims = decision.claims;
        // A token that could not be read is most likely a player's that expired.
        const client = claims && claims.sessionId === null ? 'edge' : 'viewer';
        options.onServed?.({
          titleId: path.titleId,
          encodingId: path.encodingId,
          file: path.file,
          status: watched.status,
          client,
          sessionId: claims?.sessionId ?? null,
          region: claims?.region ?? null,
          bytes: watched.bytes,
        });
      }
    }
  };
};
