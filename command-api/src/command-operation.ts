import {
  type Access,
  Conflict,
  defineOperationFor,
  describeError,
  type Empty,
  InvalidRequest,
  type Operation,
  type OperationInput,
  type OperationSpec,
  type Principal,
  Reply,
  Unprocessable,
} from '@marquee/platform';
import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { CommandRequest } from './command-request';
import type { CommandContext } from './context';
import {
  type IdempotentResponses,
  isValidIdempotencyKey,
  requestFingerprint,
} from './idempotency/idempotent-responses';

/** The command API's context: the command handlers' one, plus what the app itself serves. */
export type CommandApiContext = CommandContext & {
  responses: IdempotentResponses;
  metrics: Registry;
  operations: readonly Operation<CommandApiContext>[];
};

export const defineCommandOperation = defineOperationFor<CommandApiContext>();

// Keys being answered now: a second request with one waits for no one, it is told to retry.
const inFlight = new Set<string>();

const callerScope = (caller: Principal | undefined) =>
  caller === undefined ? 'anyone' : caller.role === 'viewer' ? `account:${caller.accountId}` : `key:${caller.keyName}`;

/**
 * A command's handler made safe to retry: with an `Idempotency-Key`, the first answer (success
 * or refusal) is kept and a retry gets it again, marked `Idempotent-Replayed: true`, without
 * running the command; the key also seeds the ids the command makes, so even a retry after a
 * crash between the append and the kept answer writes nothing new.
 */
const idempotent =
  <Input extends { req: Request; res: Response; caller: unknown; body: unknown; context: CommandApiContext }>(
    successStatus: number,
    handle: (input: Input, request: CommandRequest) => Promise<unknown>,
  ) =>
  async (input: Input) => {
    const { req, res, context } = input;
    const header = req.headers['idempotency-key'];
    const request: CommandRequest = {
      at: context.now().toISOString(),
      idempotencyKey: undefined,
      requestId: String(res.locals.requestId ?? ''),
    };
    if (header === undefined) return handle(input, request);
    if (typeof header !== 'string' || !isValidIdempotencyKey(header))
      throw new InvalidRequest([
        {
          in: 'header',
          parameter: 'Idempotency-Key',
          message: 'must be 8 to 200 characters of letters, digits, "_", "-", "." or ":" (a UUID is ideal)',
        },
      ]);
    const scope = callerScope(input.caller as Principal | undefined);
    const fingerprint = requestFingerprint(req.method, req.path, input.body);
    const flight = `${scope}\n${header}`;
    if (inFlight.has(flight))
      throw new Conflict('A request with this Idempotency-Key is still being answered; retry it in a moment.', {
        code: 'IdempotencyKeyInUse',
      });
    inFlight.add(flight);
    try {
      return await answerOnce(input, request, handle, successStatus, scope, header, fingerprint);
    } finally {
      inFlight.delete(flight);
    }
  };

const answerOnce = async <
  Input extends { req: Request; res: Response; caller: unknown; body: unknown; context: CommandApiContext },
>(
  input: Input,
  request: CommandRequest,
  handle: (input: Input, request: CommandRequest) => Promise<unknown>,
  successStatus: number,
  scope: string,
  header: string,
  fingerprint: string,
) => {
  const { res, context } = input;
  const stored = await context.responses.find(scope, header);
  if (stored) {
    if (stored.fingerprint !== fingerprint)
      throw new Unprocessable(
        'This Idempotency-Key was already used for a different request; send a new key with a new request.',
        { code: 'IdempotencyKeyReused' },
      );
    res.setHeader('Idempotent-Replayed', 'true');
    return new Reply(stored.status, stored.body);
  }
  const remember = (status: number, body: unknown) =>
    context.responses.remember(scope, header, { status, body, fingerprint, at: request.at });
  try {
    const result = await handle(input, { ...request, idempotencyKey: `${scope}\n${header}` });
    await remember(successStatus, result);
    return result;
  } catch (error) {
    // A refusal is the answer to this request too; a failure of ours, an unauthenticated or
    // rate-limited call is not, so those may be retried with the same key.
    const known = describeError(error);
    if (known && known.status < 500 && known.status !== 401 && known.status !== 429)
      await remember(known.status, known.body);
    throw error;
  }
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

/** A command endpoint: its handler also gets the request's time and ids, and is made idempotent. */
export const defineCommand = <
  const A extends Access,
  P extends z.ZodObject = Empty,
  Q extends z.ZodObject = Empty,
  B extends z.ZodObject | undefined = undefined,
>(
  spec: Omit<OperationSpec<CommandApiContext, A, P, Q, B>, 'handle'> & {
    handle: (input: OperationInput<CommandApiContext, A, P, Q, B>, request: CommandRequest) => Promise<unknown>;
  },
) =>
  defineCommandOperation<A, P, Q, B>({
    ...spec,
    headers: idempotencyHeader,
    handle: idempotent(spec.successStatus ?? 200, spec.handle),
  });
