import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { type ApiKeys, authenticate, type Principal, type Role, roles } from '../auth/access';
import { Forbidden, InvalidRequest, type ParameterProblem, UnsupportedMediaType } from './http-errors';
import { checkResponse } from './response-check';

/**
 * An operation is one endpoint: its method and path, who may call it, the zod schemas of its
 * path and query parameters, of its JSON body and of its success answer, and its handler. The
 * same declaration mounts the route, validates the request, and describes the endpoint in the
 * OpenAPI document (from which the player's types are generated).
 */

/** What an API's context must hold for its operations to know the caller. */
export type OperationContext = { access: { tokenSecret: string; apiKeys: ApiKeys } };

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `public` needs no credentials; otherwise the roles that may call. */
export type Access = 'public' | readonly Role[];
/** Every signed-in caller, whatever the role. */
export const anyone = roles;

type CallerOf<A extends Access> = A extends readonly (infer R)[] ? Principal & { role: R } : undefined;

/** A reply other than the operation's success status with JSON (a 503, a page of text). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {}
}

export type Empty = z.ZodObject<Record<string, never>, z.core.$strict>;

export type OperationInput<Context, A extends Access, P extends z.ZodObject, Q extends z.ZodObject, B> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: B extends z.ZodObject ? z.output<B> : undefined;
  caller: CallerOf<A>;
  context: Context;
  /** For a handler that streams: it answers through `res` itself and returns nothing. */
  req: Request;
  res: Response;
};

export type OperationSpec<
  Context,
  A extends Access,
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends z.ZodObject | undefined,
> = {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  access: A;
  /** Each a `z.strictObject`, so that an unknown parameter or field is refused by name. */
  params?: P;
  query?: Q;
  /** A JSON body; a request without one is read as `{}`. */
  body?: B;
  /** The largest body read, in bytes: 100 KiB unless said. */
  bodyLimitBytes?: number;
  /** 200 unless said (201 for a create). */
  successStatus?: number;
  /**
   * The JSON body of the success answer; an operation that answers JSON declares it. It is
   * described in the OpenAPI document and, when the app checks its answers (in tests), every
   * success answer must match it exactly.
   */
  response?: z.ZodType;
  /** The error statuses this operation answers with beyond the usual ones, and when, for the docs. */
  errors?: Readonly<Record<number, string>>;
  /** Optional request headers the operation reads itself (an Idempotency-Key), described in the docs. */
  headers?: z.ZodObject;
  /** The result is sent as JSON with the success status; a `Reply` says otherwise. */
  handle: (input: OperationInput<Context, A, P, Q, B>) => Promise<unknown>;
};

export type Operation<Context> = {
  method: Method;
  path: string;
  summary: string;
  description: string | undefined;
  access: Access;
  params: z.ZodObject;
  query: z.ZodObject;
  body: z.ZodObject | undefined;
  successStatus: number;
  response: z.ZodType | undefined;
  errors: Readonly<Record<number, string>>;
  headers: z.ZodObject;
  run: (req: Request, res: Response, context: Context, options?: MountOptions) => Promise<void>;
};

export type MountOptions = {
  /**
   * Check each success answer against the operation's `response` schema, and answer 500 with
   * the differences when it strays. For tests: it costs a parse per answer.
   */
  validateResponses?: boolean;
};

const describeCaller = (principal: Principal) =>
  principal.role === 'viewer' ? 'a viewer' : `the ${principal.role} key "${principal.keyName}"`;

const authorize = async (req: Request, allowed: readonly Role[], context: OperationContext) => {
  const principal = await authenticate(req.headers, context.access);
  if (!allowed.includes(principal.role))
    throw new Forbidden(
      `${req.method} ${req.path} is for the ${allowed.join(' or ')} role; you are signed in as ${describeCaller(principal)}.`,
    );
  return principal;
};

type Where = 'path' | 'query' | 'body';

const unwrapped = (schema: unknown): unknown => {
  let node = schema;
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault)
    node = node.unwrap();
  return node;
};

/** The fields of the object at `path` inside a body schema, to list them beside an unknown one. */
const fieldsAt = (schema: z.ZodObject, path: readonly PropertyKey[]) => {
  let node: unknown = schema;
  for (const key of path) {
    const parent = unwrapped(node);
    node =
      parent instanceof z.ZodObject ? parent.shape[String(key)] : parent instanceof z.ZodArray ? parent.element : null;
  }
  const object = unwrapped(node);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
};

const unknownInputMessage = (where: Where, schema: z.ZodObject, path: readonly PropertyKey[]) => {
  const known = fieldsAt(schema, path);
  const takes = known.length > 0 ? known.join(', ') : 'none';
  if (where !== 'body') return `is not a ${where} parameter of this endpoint, which takes ${takes}`;
  return path.length === 0
    ? `is not a body field of this endpoint, which takes ${takes}`
    : `is not a field of ${path.join('.')}, which takes ${takes}`;
};

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ParameterProblem[] };

const parseInput = <S extends z.ZodObject>(where: Where, schema: S, input: unknown): Parsed<z.output<S>> => {
  const values = (input ?? {}) as Record<string, unknown>;
  if (where === 'query') {
    // `?limit=1&limit=2` arrives as an array: say so, rather than "expected a number".
    const repeated = Object.keys(values).filter((name) => Array.isArray(values[name]));
    if (repeated.length > 0)
      return {
        ok: false,
        problems: repeated.map((parameter) => ({
          in: where,
          parameter,
          message: 'is given more than once; give it once',
        })),
      };
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.flatMap((issue): ParameterProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          in: where,
          parameter: [...issue.path, key].join('.'),
          message: unknownInputMessage(where, schema, issue.path),
        }))
      : [{ in: where, parameter: issue.path.join('.'), message: issue.message }],
  );
  return { ok: false, problems };
};

const problemsOf = (...parsed: Parsed<unknown>[]) => parsed.flatMap((p) => (p.ok ? [] : p.problems));

const jsonTypes = ['application/json', '+json'];
const defaultBodyLimitBytes = 100 * 1024;

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const readBody = async (req: Request, res: Response, parser: RequestHandler): Promise<unknown> => {
  if (!hasBody(req)) return {};
  if (!req.is(jsonTypes))
    throw new UnsupportedMediaType(
      `${req.method} ${req.path} takes a JSON body; send it with Content-Type: application/json.`,
      { details: { contentType: req.headers['content-type'] ?? null } },
    );
  // The parser's own errors (too large, not JSON) become problems in `errorResponse`.
  await new Promise<void>((resolve, reject) => parser(req, res, (error) => (error ? reject(error) : resolve())));
  return req.body;
};

// A result served from a cache is the same object each time: serialize it (and hash its ETag,
// which lets a client revalidate with If-None-Match) once.
const serializedResults = new WeakMap<object, { json: string; etag: string }>();
const serialize = (result: unknown) => {
  const json = JSON.stringify(result);
  return { json, etag: `W/"${createHash('sha1').update(json).digest('base64url')}"` };
};
const serialized = (result: unknown) => {
  if (typeof result !== 'object' || result === null) return serialize(result);
  const known = serializedResults.get(result);
  if (known !== undefined) return known;
  const body = serialize(result);
  serializedResults.set(result, body);
  return body;
};

const send = (req: Request, res: Response, result: unknown, successStatus: number) => {
  // A handler that streamed its answer has already sent it.
  if (res.headersSent) return;
  if (result instanceof Reply) {
    res.status(result.status).type(result.contentType);
    if (result.contentType === 'application/json') res.json(result.body);
    else res.send(result.body);
  } else if (result === undefined) {
    res.status(successStatus).end();
  } else if (req.method === 'GET' || req.method === 'HEAD') {
    const { json, etag } = serialized(result);
    res.setHeader('ETag', etag);
    res.status(successStatus).type('application/json').send(json);
  } else {
    // Not through `res.json`, which would hash an ETag: a command's answer is not for caching.
    res.status(successStatus).type('application/json').end(JSON.stringify(result));
  }
};

const assertStrict = (method: Method, path: string, where: Where, schema: z.ZodObject) => {
  if (schema._zod.def.catchall?._zod.def.type !== 'never')
    throw new Error(
      `${method.toUpperCase()} ${path}: declare its ${where} with z.strictObject, so that unknown ${where === 'body' ? 'fields' : 'parameters'} are refused.`,
    );
};

/**
 * `defineOperation` for one API, whose handlers all receive its `Context`. Bound once per API
 * (`export const defineQueryOperation = defineOperationFor<QueryContext>()`) because TypeScript
 * cannot infer an operation's other types once one of them is given.
 */
export const defineOperationFor =
  <Context extends OperationContext>() =>
  <
    const A extends Access,
    P extends z.ZodObject = Empty,
    Q extends z.ZodObject = Empty,
    B extends z.ZodObject | undefined = undefined,
  >(
    spec: OperationSpec<Context, A, P, Q, B>,
  ): Operation<Context> => {
    const params = spec.params ?? z.strictObject({});
    const query = spec.query ?? z.strictObject({});
    const body = spec.body;
    assertStrict(spec.method, spec.path, 'path', params);
    assertStrict(spec.method, spec.path, 'query', query);
    if (body) assertStrict(spec.method, spec.path, 'body', body);
    const successStatus = spec.successStatus ?? 200;
    const parser = body && express.json({ limit: spec.bodyLimitBytes ?? defaultBodyLimitBytes, type: jsonTypes });
    return {
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      description: spec.description,
      access: spec.access,
      params,
      query,
      body,
      successStatus,
      response: spec.response,
      errors: spec.errors ?? {},
      headers: spec.headers ?? z.strictObject({}),
      run: async (req, res, context, options = {}) => {
        res.locals.route = spec.path;
        const caller = spec.access === 'public' ? undefined : await authorize(req, spec.access, context);
        const sentBody = parser ? await readBody(req, res, parser) : undefined;
        const parsedParams = parseInput('path', params, req.params);
        const parsedQuery = parseInput('query', query, req.query);
        const parsedBody = body ? parseInput('body', body, sentBody) : ({ ok: true, value: undefined } as const);
        // Every wrong input at once, so a caller fixes them in one go.
        if (!parsedParams.ok || !parsedQuery.ok || !parsedBody.ok)
          throw new InvalidRequest(problemsOf(parsedParams, parsedQuery, parsedBody));
        const result = await spec.handle({
          params: parsedParams.value as z.output<P>,
          query: parsedQuery.value as z.output<Q>,
          body: parsedBody.value as OperationInput<Context, A, P, Q, B>['body'],
          caller: caller as CallerOf<A>,
          context,
          req,
          res,
        });
        if (options.validateResponses && !res.headersSent)
          checkResponse(
            { method: spec.method, path: spec.path, successStatus, response: spec.response },
            result instanceof Reply
              ? { status: result.status, body: result.body, json: result.contentType === 'application/json' }
              : { status: successStatus, body: result, json: result !== undefined },
          );
        send(req, res, result, successStatus);
      },
    };
  };

export const mountOperations = <Context>(
  router: Router,
  operations: readonly Operation<Context>[],
  context: Context,
  options: MountOptions = {},
) => {
  for (const operation of operations)
    router[operation.method](operation.path, (req, res) => operation.run(req, res, context, options));
};
