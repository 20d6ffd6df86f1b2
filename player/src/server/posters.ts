/*
 * Posters for browsing. The origin serves a package's files only with a content token, and no
 * token is given to a browser that is only browsing: this server signs a short one of its own
 * (no session, no height cap, no region, no pathways), fetches the poster on the path form and
 * passes it on.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { contentUrl, signContentToken } from '@marquee/platform';
import type { RequestHandler } from 'express';

// Ids become a path on the origin: nothing that could climb out of the title's folder.
const safeId = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

const posterGrant = { sessionId: null, maxHeight: null, region: null, pathways: [] };

export const posterHandler = (options: {
  originUrl: string;
  /** Read when the first poster is asked for, so a server that never serves one needs no secret. */
  contentTokenSecret: () => string;
  fetch?: typeof fetch;
  now?: () => Date;
}): RequestHandler => {
  const fetchPoster = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let secret: string | undefined;
  return async (req, res) => {
    const { titleId, encodingId } = req.params as { titleId: string; encodingId: string };
    if (!safeId.test(titleId) || !safeId.test(encodingId)) {
      res.status(404).end();
      return;
    }
    secret ??= options.contentTokenSecret();
    const { token } = signContentToken(secret, { titleId, encodingId }, posterGrant, { ttlSeconds: 120, now: now() });
    let upstream: Response;
    try {
      upstream = await fetchPoster(contentUrl(options.originUrl, token, titleId, encodingId, 'poster.jpg'), {
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      res.status(502).end();
      return;
    }
    if (!upstream.ok || !upstream.body) {
      await upstream.body?.cancel().catch(() => {});
      res.status(upstream.status === 404 ? 404 : 502).end();
      return;
    }
    res.status(200);
    res.setHeader('content-type', upstream.headers.get('content-type') ?? 'image/jpeg');
    const length = upstream.headers.get('content-length');
    if (length) res.setHeader('content-length', length);
    // A package never changes: its poster can be kept for a day.
    res.setHeader('cache-control', 'public, max-age=86400');
    try {
      await pipeline(Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>), res);
    } catch {
      // The origin broke off (or the browser left) half-way: the answer is cut short, never left
      // hanging, and the error does not escape to crash the server. pipeline destroyed both ends.
    }
  };
};
