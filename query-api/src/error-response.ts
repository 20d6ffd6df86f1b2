import { InvalidViewQuery, Unauthenticated, UnknownCollection } from '@marquee/platform';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import {
  AccountNotFound,
  EdgeNotFound,
  Forbidden,
  InvalidRequest,
  ProfileNotFound,
  RouteNotFound,
  SnapshotNotFound,
  TitleNotFound,
  ViewNotBuilt,
} from './query-errors';

/** The body of every error the API returns (and, in the OpenAPI document, its schema). */
export const errorBody = z.object({
  error: z.string().describe('The error type, e.g. InvalidRequest or TitleNotFound.'),
  message: z.string().describe('What went wrong and what to do about it.'),
  details: z.unknown().describe('For InvalidRequest, each parameter with its problem.'),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** Each error type the API knows, with its status: the one place errors become HTTP. */
const statuses = new Map<abstract new (...args: never[]) => Error, number>([
  [InvalidRequest, 400],
  [InvalidViewQuery, 400],
  [Unauthenticated, 401],
  [Forbidden, 403],
  [TitleNotFound, 404],
  [ProfileNotFound, 404],
  [AccountNotFound, 404],
  [EdgeNotFound, 404],
  [RouteNotFound, 404],
  [SnapshotNotFound, 404],
  // A rebuild can drop a collection between resolving its alias and reading it: try again.
  [UnknownCollection, 503],
  [ViewNotBuilt, 503],
]);

const detailsOf = (error: Error): unknown => {
  if (error instanceof InvalidRequest) return error.problems;
  if (error instanceof SnapshotNotFound) return { snapshot: error.snapshot };
  if (error instanceof ViewNotBuilt) return { view: error.view };
  return null;
};

/** Errors raised by express itself for a malformed request (an undecodable path, say) carry a 4xx status. */
const clientStatusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
};

export const routeNotFound: RequestHandler = (req) => {
  throw new RouteNotFound(`There is no ${req.method} ${req.path}; GET /docs lists what this API serves.`);
};

export const errorResponse: ErrorRequestHandler = (error, _req, res, next) => {
  // Too late to answer with an error: let express end the response.
  if (res.headersSent) return next(error);
  const known = error instanceof Error ? [...statuses].find(([type]) => error instanceof type) : undefined;
  if (known) {
    const body: ErrorBody = {
      error: (error as { code?: string }).code ?? error.name,
      message: error.message,
      details: detailsOf(error),
    };
    res.status(known[1]).json(body);
    return;
  }
  const clientStatus = clientStatusOf(error);
  if (clientStatus) {
    const body: ErrorBody = {
      error: 'BadRequest',
      message: `The request is malformed: ${(error as Error).message}.`,
      details: null,
    };
    res.status(clientStatus).json(body);
    return;
  }
  // Anything else is our bug: log it with the request id, tell the caller only the id.
  res.locals.error = error;
  const body: ErrorBody = {
    error: 'InternalError',
    message: 'The query API failed to answer; the failure is logged under this request id.',
    details: { requestId: res.locals.requestId },
  };
  res.status(500).json(body);
};
