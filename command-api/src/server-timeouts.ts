/**
 * How long the command API waits for a client. A source at the size cap, sent at the slowest rate
 * still served, must arrive whole (Node's default cuts every request at 300 s: 300 MB at 1 MB/s),
 * while a client that dribbles its headers or stops sending is cut soon, so it holds no socket.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export type ServerTimeoutSettings = {
  /** The largest upload taken (UPLOAD_MAX_BYTES). */
  maxUploadBytes: number;
  /** The slowest steady upload still served whole at the cap (UPLOAD_MIN_BYTES_PER_SECOND). */
  minUploadBytesPerSecond: number;
  /** How long a request may send nothing at all (REQUEST_IDLE_TIMEOUT_SECONDS). */
  idleSeconds: number;
  /** How long a client has to send a request's headers. */
  headersSeconds: number;
};

/** Node's server timeouts for the settings, in milliseconds. */
export const serverTimeouts = (settings: ServerTimeoutSettings) => {
  const headersTimeout = settings.headersSeconds * 1000;
  return {
    headersTimeout,
    // The whole request: its headers, then the largest body at the slowest rate.
    requestTimeout: headersTimeout + Math.ceil((settings.maxUploadBytes / settings.minUploadBytesPerSecond) * 1000),
    // Between requests on one connection (a tus client's PATCHes): Node's default, said here.
    keepAliveTimeout: 5000,
    // How often Node checks the two limits above; its default (30 s) would let a 1 s limit run 30 s.
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersTimeout / 4)),
    idleTimeout: settings.idleSeconds * 1000,
  };
};

/** An HTTP server for the app with those limits: it still has to `listen`. */
export const createCommandServer = (app: RequestListener, settings: ServerTimeoutSettings): Server => {
  const { idleTimeout, ...options } = serverTimeouts(settings);
  const server = createServer(options, app);
  // A socket silent this long is destroyed (no 'timeout' listener), mid-request or between requests.
  server.setTimeout(idleTimeout);
  return server;
};
