import { createHash } from 'node:crypto';
import {
  type ApiKeys,
  authenticate,
  type EventStore,
  type Principal,
  type Role,
  roles,
  type ViewStore,
} from '@marquee/platform';
import type { AnyProjection } from '@marquee/projections';
import type { Request, Response, Router } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { Forbidden, InvalidRequest, type ParameterProblem } from './query-errors';

/**
 * An operation is one endpoint: its path, who may call it, the zod schemas of its path and
 * query parameters, and its handler. The same declaration mounts the route, validates the
 * request, and describes the endpoint in the OpenAPI document.
 */

/** What every handler may use: the stores and settings the app was built with. */
export type QueryContext = {
  viewStore: ViewStore;
  eventStore: EventStore;
  access: { tokenSecret: string; apiKeys: ApiKeys };
  projections: readonly AnyProjection[];
  readyMaxLag: number;
  metrics: Registry;
  operations: readonly Operation[];
};

/** `public` needs no credentials; otherwise the roles that may call. */
export type Access = 'public' | readonly Role[];
export const anyone = roles;

type CallerOf<A extends Access> = A extends readonly (infer R)[] ? Principal & { role: R } : undefined;

/** A reply other than 200 JSON (a 503, a page of text). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {}
}

type NoParams = z.ZodObject<Record<string, never>, z.core.$strict>;

export type OperationSpec<A extends Access, P extends z.ZodObject, Q extends z.ZodObject> = {
  path: string;
  summary: string;
  description?: string;
  access: A;
  params?: P;
  query: Q;
  handle: (request: {
    params: z.output<P>;
    query: z.output<Q>;
    caller: CallerOf<A>;
    context: QueryContext;
  }) => Promise<unknown>;
};

export type Operation = {
  method: 'get';
  path: string;
  summary: string;
  description: string | undefined;
  access: Access;
  params: z.ZodObject;
  query: z.ZodObject;
  run: (req: Request, res: Response, context: QueryContext) => Promise<void>;
};

const describeCaller = (principal: Principal) =>
  principal.role === 'viewer' ? 'a viewer' : `the ${principal.role} key "${principal.keyName}"`;

const authorize = async (req: Request, allowed: readonly Role[], context: QueryContext) => {
  const principal = await authenticate(req.headers, context.access);
  if (!allowed.includes(principal.role))
    throw new Forbidden(
      `${req.method} ${req.path} is for the ${allowed.join(' or ')} role; you are signed in as ${describeCaller(principal)}.`,
    );
  return principal;
};

const parse = <S extends z.ZodObject>(where: 'query' | 'path', schema: S, input: unknown): z.output<S> => {
  const values = (input ?? {}) as Record<string, unknown>;
  // `?limit=1&limit=2` arrives as an array: say so, rather than "expected a number".
  const repeated = Object.keys(values).filter((name) => Array.isArray(values[name]));
  if (repeated.length > 0)
    throw new InvalidRequest(
      repeated.map((parameter) => ({ in: where, parameter, message: 'is given more than once; give it once' })),
    );
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const known = Object.keys(schema.shape);
  const problems = parsed.error.issues.flatMap((issue): ParameterProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((parameter) => ({
          in: where,
          parameter,
          message: `is not a ${where} parameter of this endpoint, which takes ${known.length > 0 ? known.join(', ') : 'none'}`,
        }))
      : [{ in: where, parameter: issue.path.join('.'), message: issue.message }],
  );
  throw new InvalidRequest(problems);
};

// A result served from the view cache is the same object each time: serialize it (and hash
// its ETag, which lets a client revalidate with If-None-Match) once.
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

export const defineOperation = <const A extends Access, Q extends z.ZodObject, P extends z.ZodObject = NoParams>(
  spec: OperationSpec<A, P, Q>,
): Operation => {
  const params = spec.params ?? z.strictObject({});
  return {
    method: 'get',
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    access: spec.access,
    params,
    query: spec.query,
    run: async (req, res, context) => {
      res.locals.route = spec.path;
      const caller = spec.access === 'public' ? undefined : await authorize(req, spec.access, context);
      const result = await spec.handle({
        params: parse('path', params, req.params) as z.output<P>,
        query: parse('query', spec.query, req.query),
        caller: caller as CallerOf<A>,
        context,
      });
      if (result instanceof Reply) {
        res.status(result.status).type(result.contentType);
        if (result.contentType === 'application/json') res.json(result.body);
        else res.send(result.body);
      } else {
        const { json, etag } = serialized(result);
        res.setHeader('ETag', etag);
        res.type('application/json').send(json);
      }
    },
  };
};

export const mountOperations = (router: Router, context: QueryContext) => {
  for (const operation of context.operations)
    router[operation.method](operation.path, (req, res) => operation.run(req, res, context));
};
