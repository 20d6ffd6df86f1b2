import { createHash } from 'node:crypto';
import {
  type Access,
  Conflict,
  defineOperationFor,
  describeError,
  type Empty,
  InvalidRequest,
  type Logger,
  type Operation,
  type OperationInput,
  type OperationSpec,
  type Principal,
  Reply,
  Unprocessable,
} from '@marquee/platform';
import express, { type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { CommandRequest } from './command-request';
import type { CommandContext } from './context';
import type { KeptAnswers } from './idempotency/kept-answers';
import { isValidIdempotencyKey, keptAnswerId, requestFingerprint } from './idempotency/request-fingerprint';

/** The command API's context: the command handlers' one, plus what the app itself serves. */
export type CommandApiContext = CommandContext & {
  answers: KeptAnswers;
  /** Keys the fingerprints and ids of kept answers (see request-fingerprint.ts). */
  fingerprintSecret: Buffer;
  logger: Logger;
  metrics: Registry;
  operations: readonly Operation<CommandApiContext>[];
};

export const defineCommandOperation = defineOperationFor<CommandApiContext>();

const callerScope = (caller: Principal | undefined) =>
  caller === undefined ? 'anyone' : caller.role === 'viewer' ? `account:${caller.accountId}` : `key:${caller.keyName}`;

type CommandInput = { req: Request; res: Response; caller: unknown; body: unknown; context: CommandApiContext };

/** A command whose body is a file (captions) rather than JSON: its bytes, read whole before it runs. */
export type WithRawBody = { rawBody: Buffer };

/**
 * Reads a body of any type, up to `limitBytes` (413 past it, as the JSON parser answers), and
 * inflated if it was sent compressed; an absent body is empty.
 */
const rawBodyReader = (limitBytes: number) => {
  const parser = express.raw({ type: () => true, limit: limitBytes });
  return async (req: Request, res: Response): Promise<Buffer> => {
    await new Promise<void>((resolve, reject) => parser(req, res, (error) => (error ? reject(error) : resolve())));
    return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  };
};

/** What a keyed request's fingerprint covers of a file body: its type and its digest, not its bytes. */
const fileFingerprint = (req: Request, bytes: Buffer) => ({
  contentType: req.headers['content-type'] ?? null,
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

/** Turns a handler's result into the answer sent; `at` is when the request was first answered. */
type AnswerOf<Input, Result> = (result: Result, input: Input, kept: { at: string; replayed: boolean }) => unknown;

/**
 * A command's handler made safe to retry: with an `Idempotency-Key`, the first answer (success
 * or refusal) is kept and a retry gets it again, marked `Idempotent-Replayed: true`, without
 * running the command; the key also seeds the ids the command makes, so even a retry after a
 * crash between the append and the kept answer writes nothing new. While one request holds a
 * key (on any instance) another with it is told to retry. When the store does not answer, the
 * command still runs (degraded, said in the log, in /readyz and in an `Idempotency-Store:
 * unavailable` header): its ids still derive from the key, so a retry appends nothing twice,
 * though it may be answered as a refusal (the stream already holds its events) instead of a replay.
 */
const idempotent = <Input extends CommandInput, Result>(
  successStatus: number,
  handle: (input: Input, request: CommandRequest) => Promise<Result>,
  answer: AnswerOf<Input, Result>,
  rawBodyLimitBytes?: number,
) => {
  const readRawBody = rawBodyLimitBytes === undefined ? undefined : rawBodyReader(rawBodyLimitBytes);
  return async (sent: Input) => {
    const { req, res, context } = sent;
    const rawBody = readRawBody && (await readRawBody(req, res));
    const input: Input = rawBody ? { ...sent, rawBody } : sent;
    const fingerprintedBody = rawBody ? fileFingerprint(req, rawBody) : input.body;
    const header = req.headers['idempotency-key'];
    const request: CommandRequest = {
      at: context.now().toISOString(),
      idempotencyKey: undefined,
      requestId: String(res.locals.requestId ?? ''),
    };
    if (header === undefined)
      return await answer(await handle(input, request), input, { at: request.at, replayed: false });
    if (typeof header !== 'string' || !isValidIdempotencyKey(header))
      throw new InvalidRequest([
        {
          in: 'header',
          parameter: 'Idempotency-Key',
          message: 'must be 8 to 200 characters of letters, digits, "_", "-", "." or ":" (a UUID is ideal)',
        },
      ]);
    const scope = callerScope(input.caller as Principal | undefined);
    const id = keptAnswerId(context.fingerprintSecret, scope, header);
    const keyed: CommandRequest = { ...request, idempotencyKey: `${scope}\n${header}` };
    let lease: Awaited<ReturnType<CommandApiContext['answers']['lease']>>;
    try {
      lease = await context.answers.lease(id);
    } catch {
      // The store does not answer (the shared state logs the outage): run degraded.
      res.setHeader('Idempotency-Store', 'unavailable');
      return await answer(await handle(input, keyed), input, { at: request.at, replayed: false });
    }
    if (!lease)
      throw new Conflict('A request with this Idempotency-Key is still being answered; retry it in a moment.', {
        code: 'IdempotencyKeyInUse',
      });
    try {
      // The query too: a source's `?audioLanguages` is part of what was asked.
      const fingerprint = requestFingerprint(context.fingerprintSecret, req.method, req.originalUrl, fingerprintedBody);
      const stored = await context.answers.find(id);
      if (stored) {
        if (stored.fingerprint !== fingerprint)
          throw new Unprocessable(
            'This Idempotency-Key was already used for a different request; send a new key with a new request.',
            { code: 'IdempotencyKeyReused' },
          );
        res.setHeader('Idempotent-Replayed', 'true');
        if (stored.status >= 400) return new Reply(stored.status, stored.body);
        return new Reply(stored.status, await answer(stored.body as Result, input, { at: stored.at, replayed: true }));
      }
      const keep = (status: number, body: unknown) =>
        context.answers
          .keep(id, { status, body, fingerprint, at: request.at })
          // The command took effect: answer it. A retry runs it again with the same ids, and
          // the event store writes nothing twice.
          .catch((error: unknown) => {
            // During an outage (logged once by the shared state) a request in flight loses its kept answer.
            if (context.answers.connected())
              context.logger.error({ err: error }, 'an answer could not be kept for retries');
          });
      try {
        const result = await handle(input, keyed);
        await keep(successStatus, result);
        return await answer(result, input, { at: request.at, replayed: false });
      } catch (error) {
        // A refusal is the answer to this request too; a failure of ours, an unauthenticated or
        // rate-limited call is not, so those may be retried with the same key.
        const known = describeError(error);
        if (known && known.status < 500 && known.status !== 401 && known.status !== 429)
          await keep(known.status, known.body);
        throw error;
      }
    } finally {
      await lease.release().catch((error: unknown) => {
        if (context.answers.connected())
          context.logger.warn({ err: error }, 'a key lease could not be released; it lapses');
      });
    }
  };
};

const idempotencyHeader = z.strictObject({
  'Idempotency-Key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\w.:-]+$/)
    .optional()
    .describe(
      'Makes a retry safe: the same key again gets the first answer, and nothing is written twice. A UUID is ideal.',
    ),
});

/**
 * A command endpoint: its handler also gets the request's time and ids, and is made idempotent.
 * What the handler returns is what is kept for a retry, so it never holds a token or a secret;
 * `answer` turns it into the answer sent, the first time and on every replay, and is where
 * tokens are issued, after whatever the request itself must pass (a password) is checked again.
 */
export const defineCommand = <
  const A extends Access,
  P extends z.ZodObject = Empty,
  Q extends z.ZodObject = Empty,
  B extends z.ZodObject | undefined = undefined,
  Result = unknown,
>(
  spec: Omit<OperationSpec<CommandApiContext, A, P, Q, B>, 'handle'> & {
    handle: (input: OperationInput<CommandApiContext, A, P, Q, B>, request: CommandRequest) => Promise<Result>;
    answer?: AnswerOf<OperationInput<CommandApiContext, A, P, Q, B>, Result>;
  },
) =>
  defineCommandOperation<A, P, Q, B>({
    ...spec,
    headers: idempotencyHeader,
    handle: idempotent(spec.successStatus ?? 200, spec.handle, spec.answer ?? ((result) => result)),
  });

/**
 * A command whose body is a file of at most `bodyLimitBytes` (captions), read whole before the
 * handler runs (`rawBody`); a keyed retry is the same request when the file's bytes are the same.
 */
export const defineFileCommand = <
  const A extends Access,
  P extends z.ZodObject = Empty,
  Q extends z.ZodObject = Empty,
  Result = unknown,
>(
  spec: Omit<OperationSpec<CommandApiContext, A, P, Q, undefined>, 'handle' | 'body' | 'bodyLimitBytes'> & {
    bodyLimitBytes: number;
    handle: (
      input: OperationInput<CommandApiContext, A, P, Q, undefined> & WithRawBody,
      request: CommandRequest,
    ) => Promise<Result>;
  },
) => {
  const handle = idempotent(spec.successStatus ?? 200, spec.handle, (result) => result, spec.bodyLimitBytes);
  return defineCommandOperation<A, P, Q, undefined>({
    ...spec,
    headers: idempotencyHeader,
    // The wrapper reads the file and hands it on as `rawBody`.
    handle: handle as (input: OperationInput<CommandApiContext, A, P, Q, undefined>) => Promise<unknown>,
  });
};
