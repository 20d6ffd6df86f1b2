/**
 * The refusals an HTTP API answers with, as values with a type. Each carries the `code` a client
 * can rely on, a `message` a person can act on, and `details` for a program; `statusOf` in
 * `error-response.ts` gives each its status, in one place.
 */

type ProblemOptions = { code?: string; details?: unknown };

export abstract class HttpProblem extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(message: string, options: ProblemOptions = {}) {
    super(message);
    this.code = options.code ?? new.target.name;
    this.name = this.code;
    this.details = options.details ?? null;
  }
}

/** One input's problem: where it was sent, its name (a dotted path in a body), and what is wrong with it. */
export type ParameterProblem = { in: 'query' | 'path' | 'body' | 'header'; parameter: string; message: string };

/** 400: the request names every input that is wrong at once, in `details`. */
export class InvalidRequest extends HttpProblem {
  constructor(readonly problems: ParameterProblem[]) {
    super(problems.map((p) => (p.parameter ? `${p.parameter}: ${p.message}` : p.message)).join('; '), {
      code: 'InvalidRequest',
      details: problems,
    });
  }
}

/** 403: signed in, but with a role that may not do this. */
export class Forbidden extends HttpProblem {}

/** 404: the code says what was not found, e.g. `TitleNotFound`. */
export class NotFound extends HttpProblem {
  constructor(message: string, options: { code: string; details?: unknown }) {
    super(message, options);
  }
}

/** 409: the state of things forbids it now; it may succeed later. */
export class Conflict extends HttpProblem {}

/** 413 */
export class PayloadTooLarge extends HttpProblem {}

/** 415 */
export class UnsupportedMediaType extends HttpProblem {}

/** 422: well-formed, but it can never succeed as written. */
export class Unprocessable extends HttpProblem {}

/** 429: answered with `Retry-After`. */
export class TooManyRequests extends HttpProblem {
  readonly retryAfterSeconds: number;
  constructor(message: string, options: ProblemOptions & { retryAfterSeconds: number }) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** 503: the server's state, not the caller's mistake; trying again later can work. */
export class ServiceUnavailable extends HttpProblem {}
