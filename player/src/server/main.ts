// The player's web server: reads its configuration, serves until SIGTERM or SIGINT.
import { fileURLToPath } from 'node:url';
import {
  contentTokenConfig,
  createLogger,
  createServerWithTimeouts,
  defaultPorts,
  loadContentTokenSecret,
  localUrl,
  logConfig,
  port,
  readServiceConfig,
  uploadTransferConfig,
  uploadTransferTimeouts,
} from '@marquee/platform';
import { z } from 'zod';
import { createPlayerApp } from './app';

const configShape = {
  ...logConfig,
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(defaultPorts.player),
  COMMAND_API_URL: z.url().default(localUrl(defaultPorts.commandApi)),
  QUERY_API_URL: z.url().default(localUrl(defaultPorts.queryApi)),
  /** Where posters are fetched from. */
  ORIGIN_URL: z.url().default(localUrl(defaultPorts.origin)),
  /** Signs the short token a poster is fetched with; shared with the command API and the edges. */
  ...contentTokenConfig,
  /** Uploads pass through to the command API: the same limits on a slow client as there. */
  ...uploadTransferConfig,
  DATA_DIR: z.string().min(1).default('./data'),
  /** The built app (`npm run build -w player`). */
  PLAYER_DIST_DIR: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../dist', import.meta.url))),
};

const config = readServiceConfig(configShape);
const logger = createLogger('player', config.LOG_LEVEL);
const app = createPlayerApp({
  distDir: config.PLAYER_DIST_DIR,
  commandApiUrl: config.COMMAND_API_URL,
  queryApiUrl: config.QUERY_API_URL,
  originUrl: config.ORIGIN_URL,
  contentTokenSecret: () => loadContentTokenSecret(config),
  logger,
});

const server = createServerWithTimeouts(app, uploadTransferTimeouts(config)).listen(config.PORT, config.HOST, () => {
  logger.info(
    { url: `http://${config.HOST}:${config.PORT}`, commandApi: config.COMMAND_API_URL, queryApi: config.QUERY_API_URL },
    'player listening',
  );
});

const stop = () => {
  logger.info('player stopping');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
