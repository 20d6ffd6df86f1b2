/*
 * The player's web server: the built app (with a fallback to index.html for the app's own
 * routes), posters, and the two APIs under one origin. Built by a function so a test can make
 * one against stub upstreams.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger, requestLog } from '@marquee/platform';
import express from 'express';
import { apiProxy } from './api-proxy';
import { posterHandler } from './posters';

export type PlayerServerOptions = {
  /** The output of `vite build`. */
  distDir: string;
  commandApiUrl: string;
  queryApiUrl: string;
  /** Where posters are fetched from. */
  originUrl: string;
  contentTokenSecret: () => string;
  logger?: Logger;
};

export const createPlayerApp = (options: PlayerServerOptions) => {
  const logger = options.logger ?? createLogger('player');
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/api/commands',
    apiProxy({ upstreamUrl: options.commandApiUrl, mountPath: '/api/commands', service: 'command API' }),
  );
  app.use(
    '/api/queries',
    apiProxy({ upstreamUrl: options.queryApiUrl, mountPath: '/api/queries', service: 'query API' }),
  );
  app.get(
    '/posters/:titleId/:encodingId/poster.jpg',
    posterHandler({ originUrl: options.originUrl, contentTokenSecret: options.contentTokenSecret }),
  );

  // Vite names every asset by its content, so an asset never changes: cache it for good.
  app.use(
    '/assets',
    express.static(join(options.distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  app.use(express.static(options.distDir, { index: false, maxAge: '1h' }));

  const indexHtml = join(options.distDir, 'index.html');
  app.get('/{*path}', (req, res) => {
    if (req.path.startsWith('/api/')) {
      res
        .status(404)
        .json({ error: 'RouteNotFound', message: `There is no ${req.method} ${req.path}.`, details: null });
      return;
    }
    if (!existsSync(indexHtml)) {
      res
        .status(503)
        .type('text/plain')
        .send('The player app is not built yet: run `npm run build -w player`, then reload.');
      return;
    }
    // The page itself is always checked again, so a new build is picked up at once.
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return app;
};
