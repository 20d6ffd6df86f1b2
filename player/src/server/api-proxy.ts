/*
 * The APIs under the player's own origin: /api/commands/* → the command API, /api/queries/* →
 * the query API. Bodies stream both ways (a tus upload of gigabytes passes through chunk by
 * chunk, never held in memory), and a Location the API sends (tus names each new upload by
 * one) is rewritten to point back under the mount, so the browser keeps talking to this origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProxyMiddleware, debugProxyErrorsPlugin, proxyEventsPlugin } from 'http-proxy-middleware';

/**
 * A Location from the upstream, as the browser should follow it: a URL on the upstream (or a
 * path) becomes the same path under `mountPath`; a URL elsewhere is left alone.
 */
export const rewriteLocation = (location: string, upstreamUrl: string, mountPath: string): string => {
  const upstream = new URL(upstreamUrl);
  let target: URL;
  try {
    target = new URL(location, upstream);
  } catch {
    return location;
  }
  const isRelative = !/^[a-z][a-z\d+.-]*:/i.test(location) && !location.startsWith('//');
  if (!isRelative && target.origin !== upstream.origin) return location;
  const upstreamBase = upstream.pathname.replace(/\/$/, '');
  const path =
    upstreamBase && target.pathname.startsWith(`${upstreamBase}/`)
      ? target.pathname.slice(upstreamBase.length)
      : target.pathname;
  return `${mountPath}${path}${target.search}`;
};

const unavailable = (res: ServerResponse, service: string) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' }).end(
    JSON.stringify({
      error: 'UpstreamUnavailable',
      message: `The ${service} is not answering right now; try again in a moment.`,
      details: null,
    }),
  );
};

export const apiProxy = (options: { upstreamUrl: string; mountPath: string; service: string }) =>
  createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: options.upstreamUrl,
    changeOrigin: true,
    // The client's address is appended to X-Forwarded-For (what a client sent itself stays before
    // it), for the APIs' per-address limits; the APIs believe only the entry a trusted proxy adds.
    xfwd: true,
    // The default plugins answer errors in plain text; ours answers like the APIs do.
    ejectPlugins: true,
    plugins: [debugProxyErrorsPlugin, proxyEventsPlugin],
    on: {
      proxyRes: (proxyRes) => {
        const location = proxyRes.headers.location;
        if (typeof location === 'string')
          proxyRes.headers.location = rewriteLocation(location, options.upstreamUrl, options.mountPath);
      },
      error: (_error, _req, res) => {
        if ('writeHead' in res) unavailable(res, options.service);
        else res.destroy();
      },
    },
  });
