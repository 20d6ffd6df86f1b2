import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentClaims } from '@marquee/platform';
import type { ContentPath } from './content-path';
import { contentTypeOf } from './content-path';
import type { ContentServerOptions } from './content-server';
import { rewriteDashManifest } from './dash-manifest-rewrite';
import { rewriteHlsMaster } from './hls-master-rewrite';
import { answer, corsHeaders, readRefusal } from './http-answers';
import { type PathwayDirectory, pathwayBase, pathwaysFor, steeringUrlFor } from './pathways';
import { pullThroughUrl, upstreamGet } from './upstream';

/*
 * A session's DASH manifest and HLS master playlist are its own: only the rungs its token allows,
 * every pathway it may use (absolute URLs carrying its token), and the steering server that
 * ranks them. The stored file is read from this node's disk or, on an edge that does not hold
 * the package yet, fetched from the upstream as stored, then rewritten. Never cached by anyone:
 * the token inside it expires.
 */

export type ManifestOptions = {
  directory: PathwayDirectory;
  /** The steering server's base, `<STEERING_URL>`; a session's is `<STEERING_URL>/<token>/<title>/<encoding>`. */
  steeringUrl: string;
};

const dashManifest = 'manifest.mpd';
const hlsMaster = 'master.m3u8';
const largestManifestBytes = 4 * 1024 * 1024;

export const isSessionManifest = (file: string) => file === dashManifest || file === hlsMaster;

export const rewriteForSession = (
  file: string,
  stored: string,
  path: ContentPath,
  claims: ContentClaims,
  options: ManifestOptions,
): string => {
  const pathways = pathwaysFor(claims, options.directory);
  const steering = steeringUrlFor(options.steeringUrl, path.token, path.titleId, path.encodingId);
  const self = options.directory.self.id;
  const baseOf = (pathway: (typeof pathways)[number]) =>
    pathwayBase(pathway, path.token, path.titleId, path.encodingId);
  if (file === dashManifest)
    return rewriteDashManifest(stored, {
      maxHeight: claims.maxHeight,
      baseUrls: pathways.map((pathway) => ({ serviceLocation: pathway.id, url: baseOf(pathway) })),
      steering: { url: steering, defaultServiceLocation: self },
    });
  return rewriteHlsMaster(stored, {
    maxHeight: claims.maxHeight,
    pathways: pathways.map((pathway) => ({ id: pathway.id, base: baseOf(pathway) })),
    steering: { url: steering, pathwayId: self },
  });
};

type Stored = { text: string; cache: 'hit' | 'miss' } | { status: number; error: string; message: string };

/** The stored manifest from the upstream, as stored (a fill token asks for it). */
const fetchStored = async (
  path: ContentPath,
  options: ContentServerOptions & { pullThrough: NonNullable<ContentServerOptions['pullThrough']> },
  signal: AbortSignal,
): Promise<Stored> => {
  const upstream = await upstreamGet(pullThroughUrl(options.pullThrough.upstream, options, path), { signal });
  const status = upstream.statusCode ?? 502;
  upstream.setEncoding('utf8');
  let text = '';
  for await (const chunk of upstream) {
    text += chunk;
    if (text.length > largestManifestBytes) {
      upstream.destroy();
      return { status: 502, error: 'UpstreamError', message: 'The upstream sent a manifest too large to be one.' };
    }
  }
  if (status === 200) return { text, cache: 'miss' };
  if (status === 404) return { status: 404, error: 'NotFound', message: 'No such file.' };
  if (status === 403) return { status: 403, ...readRefusal(text) };
  return { status: 502, error: 'UpstreamError', message: `The upstream answered ${status}.` };
};

export const serveManifest = async (
  req: IncomingMessage,
  res: ServerResponse,
  path: ContentPath,
  claims: ContentClaims,
  options: ContentServerOptions,
  onSent?: (bytes: number) => void,
) => {
  const { disk, metrics, pullThrough } = options;
  let stored: Stored;
  const file = await disk.resolve(path);
  if (file) {
    stored = { text: await readFile(file.path, 'utf8'), cache: 'hit' };
    disk.touch?.(path.titleId, path.encodingId);
  } else if (pullThrough && !disk.holds?.(path.titleId, path.encodingId)) {
    pullThrough.requestFill(path.titleId, path.encodingId);
    // A viewer who leaves first no longer needs it fetched.
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    stored = await fetchStored(path, { ...options, pullThrough }, controller.signal);
  } else stored = { status: 404, error: 'NotFound', message: 'No such file.' };

  if (!('text' in stored)) {
    metrics.request(stored.status === 403 ? 'refused' : stored.status === 404 ? 'not_found' : 'miss');
    return answer(res, stored.status, stored.error, stored.message);
  }
  metrics.request(stored.cache);
  const body = Buffer.from(rewriteForSession(path.file, stored.text, path, claims, options.manifests));
  res.writeHead(200, {
    ...corsHeaders,
    'Content-Type': contentTypeOf(path.file),
    'Content-Length': body.length,
    // The token inside expires and the rungs are this session's: no cache may keep it.
    'Cache-Control': 'private, no-store',
    'X-Cache': stored.cache,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.end(body);
  metrics.served(body.length);
  onSent?.(body.length);
};
