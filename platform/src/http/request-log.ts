import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logging';

// A client's own request id is kept if it is a plausible one, so logs line up across services.
const plausibleRequestId = /^[\w.:-]{1,100}$/;

/**
 * One JSON line per request when it finishes, under a request id that the response carries in
 * `x-request-id`. Only the method, URL and status are logged: headers carry credentials, and a
 * log line must never be enough to call the API.
 */
export const requestLog =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && plausibleRequestId.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    res.locals.requestId = id;
    const started = performance.now();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          req: { id, method: req.method, url: req.originalUrl },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
          ...(res.locals.error !== undefined && { err: res.locals.error }),
        },
        'request completed',
      );
    });
    next();
  };
