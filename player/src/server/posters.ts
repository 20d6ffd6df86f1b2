/*
 * Posters for browsing. The origin serves a package's files only with a content token, and a
 * token opens the whole title, so none is given to a browser that is only browsing: this
 * server signs a short one for the poster alone, fetches it and passes it on.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { contentPathPrefix, signContentToken } from '@marquee/platform';
import type { RequestHandler } from 'express';

// Ids become a path on the origin: nothing that could climb out of the title's folder.
const safeId = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

export const posterHandler = (options: {
  originUrl: string;
  /** Read when the first poster is asked for, so a server that never serves one needs no secret. */
  contentTokenSecret: () => string;
  fetch?: typeof fetch;
}): RequestHandler => {
  const fetchPoster = options.fetch ?? fetch;
  let secret: string | undefined;
  return async (req, res) => {
    const { titleId, encodingId } = req.params as { titleId: string; encodingId: string };
    if (!safeId.test(titleId) || !safeId.test(encodingId)) {
      res.status(404).end();
      return;
    }
    secret ??= options.contentTokenSecret();
    const prefix = contentPathPrefix(titleId, encodingId);
    const { token } = signContentToken(secret, prefix, { ttlSeconds: 120 });
    let upstream: Response;
    try {
      upstream = await fetchPoster(
        `${options.originUrl.replace(/\/$/, '')}${prefix}poster.jpg?token=${encodeURIComponent(token)}`,
        { signal: AbortSignal.timeout(5000) },
      );
    } catch {
      res.status(502).end();
      return;
    }
    if (!upstream.ok || !upstream.body) {
      res.status(upstream.status === 404 ? 404 : 502).end();
      return;
    }
    res.status(200);
    res.setHeader('content-type', upstream.headers.get('content-type') ?? 'image/jpeg');
    const length = upstream.headers.get('content-length');
    if (length) res.setHeader('content-length', length);
    // A package never changes: its poster can be kept for a day.
    res.setHeader('cache-control', 'public, max-age=86400');
    Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>).pipe(res);
  };
};
