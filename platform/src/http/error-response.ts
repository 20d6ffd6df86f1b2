import { DomainError, type DomainErrorKind } from '@marquee/domain';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { Unauthenticated } from '../auth/access';
import { VersionConflict } from '../event-store/event-store';
import { InvalidViewQuery, UnknownCollection } from '../view-store/view-store';
import {
  Conflict,
  Forbidden,
  HttpProblem,
  InvalidRequest,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
  TooManyRequests,
  Unprocessable,
  UnsupportedMediaType,
} from './http-errors';
import { ResponseMismatch } from './response-check';

/** The body of every error an API returns (and, in the OpenAPI document, its schema). */
export const errorBody = z.object({
  error: z.string().describe('The error type, e.g. InvalidRequest or TitleNotFound: stable, for programs.'),
  message: z.string().describe('What went wrong and what to do about it.'),
  details: z
    .unknown()
    .describe('For InvalidRequest, each parameter or body field with its problem; otherwise what the error is about.'),
});
export type ErrorBody = z.infer<typeof errorBody>;

const statuses = new Map<abstract new (...args: never[]) => Error, number>([
  [InvalidRequest, 400],
  [InvalidViewQuery, 400],
  [Unauthenticated, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [VersionConflict, 409],
  [PayloadTooLarge, 413],
  [UnsupportedMediaType, 415],
  [Unprocessable, 422],
  [TooManyRequests, 429],
  [ServiceUnavailable, 503],
  // A rebuild can drop a collection between resolving its alias and reading it: try again.
  [UnknownCollection, 503],
]);

const domainStatuses: Record<DomainErrorKind, number> = { not_found: 404, conflict: 409, invalid: 422 };

/** Errors that express and its body parser raise for a malformed request carry a 4xx `status`. */
type ClientError = Error & { status: number; type?: string; limit?: number; charset?: string; encoding?: string };
const isClientError = (error: unknown): error is ClientError => {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
};

const isKnown = (error: unknown): error is Error =>
  error instanceof DomainError || [...statuses.keys()].some((type) => error instanceof type);

/** The one place an error becomes an HTTP status; anything not known here is our bug, a 500. */
export const statusOf = (error: unknown): number => {
  if (error instanceof DomainError) return domainStatuses[error.kind];
  for (const [type, status] of statuses) if (error instanceof type) return status;
  return isClientError(error) ? error.status : 500;
};

const describeBytes = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${+(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} bytes`;

/** The body parser's errors, as the problems they are, with messages a client can act on. */
const fromBodyParser = (error: ClientError): HttpProblem | undefined => {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLarge(
        `The body is larger than the ${describeBytes(error.limit ?? 0)} this endpoint takes; send a smaller one.`,
        { details: { limitBytes: error.limit } },
      );
    case 'entity.parse.failed':
      return new InvalidRequest([
        { in: 'body', parameter: '', message: `The body is not valid JSON (${error.message}); send a JSON object` },
      ]);
    case 'charset.unsupported':
      return new UnsupportedMediaType(`The body's charset "${error.charset}" is not supported; send JSON in UTF-8.`);
    case 'encoding.unsupported':
      return new UnsupportedMediaType(
        `The Content-Encoding "${error.encoding}" is not supported; send the body uncompressed, or as gzip, deflate or br.`,
      );
    default:
      return undefined;
  }
};

const detailsOf = (error: Error): unknown => {
  if (error instanceof HttpProblem || error instanceof DomainError) return error.details;
  if (error instanceof VersionConflict)
    return { stream: error.streamName, expected: error.expected, actual: error.actual };
  return null;
};

export const routeNotFound: RequestHandler = (req) => {
  throw new NotFound(`There is no ${req.method} ${req.path}; GET /docs lists what this API serves.`, {
    code: 'RouteNotFound',
  });
};

/** The status and body of an error the API knows (a client's mistake or a refusal), or undefined for a bug. */
export const describeError = (error: unknown): { status: number; body: ErrorBody } | undefined => {
  if (!isKnown(error)) return undefined;
  return {
    status: statusOf(error),
    body: { error: (error as { code?: string }).code ?? error.name, message: error.message, details: detailsOf(error) },
  };
};

export const errorResponse: ErrorRequestHandler = (thrown, _req, res, next) => {
  // Too late to answer with an error: let express end the response.
  if (res.headersSent) return next(thrown);
  const error = (isClientError(thrown) && fromBodyParser(thrown)) || thrown;
  const known = describeError(error);
  if (known) {
    if (error instanceof TooManyRequests) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(known.status).json(known.body);
    return;
  }
  if (isClientError(error)) {
    const body: ErrorBody = {
      error: 'BadRequest',
      message: `The request is malformed: ${error.message}.`,
      details: null,
    };
    res.status(error.status).json(body);
    return;
  }
  // Anything else is our bug: log it with the request id, tell the caller only the id.
  res.locals.error = error;
  if (error instanceof ResponseMismatch) {
    // Only raised where answers are checked (tests): say what strayed, so the failing test shows it.
    const body: ErrorBody = {
      error: 'ResponseMismatch',
      message: error.message,
      details: { requestId: res.locals.requestId, operation: error.operation, issues: error.issues },
    };
    res.status(500).json(body);
    return;
  }
  const body: ErrorBody = {
    error: 'InternalError',
    message: 'The API failed to answer; the failure is logged under this request id.',
    details: { requestId: res.locals.requestId },
  };
  res.status(500).json(body);
};
