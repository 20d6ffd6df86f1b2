/**
 * How long a server that takes uploads (the command API, and the player's server in front of it)
 * waits for a client. A source at the size cap, sent at the slowest rate still served, must arrive
 * whole (Node's default cuts every request at 300 s: 300 MB at 1 MB/s), while a client that
 * dribbles its headers or stops sending is cut soon, so it holds no socket.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { z } from 'zod';

/** The settings, as every service that takes uploads reads them. */
export const uploadTransferConfig = {
  /** The largest source accepted, in bytes (default 4 GiB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 ** 3),
  /**
   * The slowest steady upload still served whole at the size cap: a request may take as long as
   * the cap takes at this rate (4 GiB at 1 MB/s: 72 min) plus its headers' 30 s.
   */
  UPLOAD_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(1000).default(1_000_000),
  /** How long a request may send nothing at all before its connection is cut. */
  REQUEST_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
};

/** How long a client has to send a request's headers. */
export const headersTimeoutSeconds = 30;

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
export const createServerWithTimeouts = (app: RequestListener, settings: ServerTimeoutSettings): Server => {
  const { idleTimeout, ...options } = serverTimeouts(settings);
  const server = createServer(options, app);
  // A socket silent this long is destroyed (no 'timeout' listener), mid-request or between requests.
  server.setTimeout(idleTimeout);
  return server;
};

/** The limits for a service's settings read from `uploadTransferConfig`. */
export const uploadTransferTimeouts = (config: {
  UPLOAD_MAX_BYTES: number;
  UPLOAD_MIN_BYTES_PER_SECOND: number;
  REQUEST_IDLE_TIMEOUT_SECONDS: number;
}): ServerTimeoutSettings => ({
  maxUploadBytes: config.UPLOAD_MAX_BYTES,
  minUploadBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_SECOND,
  idleSeconds: config.REQUEST_IDLE_TIMEOUT_SECONDS,
  headersSeconds: headersTimeoutSeconds,
});
