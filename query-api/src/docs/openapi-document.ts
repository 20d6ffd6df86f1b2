import { z } from 'zod';
import { errorBody } from '../error-response';
import { defineOperation, type Operation } from '../operation';

/*
 * The OpenAPI 3.1 document, generated from the operations themselves: the zod schemas that
 * validate each endpoint's path and query parameters are the ones described here, so the
 * document cannot disagree with what the API accepts.
 */

type JsonSchema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

const parametersOf = (where: 'path' | 'query', schema: z.ZodObject) => {
  // `input`: what a caller sends, so a parameter with a default is optional.
  const json = withoutDialect(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as JsonSchema;
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof description === 'string' && { description }),
    schema: property,
  }));
};

// OpenAPI 3.1 documents declare the JSON Schema dialect once, not in every schema.
const withoutDialect = ({ $schema: _, ...schema }: Record<string, unknown>) => schema;

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const operationIdOf = (operation: Operation) =>
  operation.method +
  operation.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By${segment.slice(1)}` : segment))
    .map((segment) => segment.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase()))
    .join('');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const securityOf = (operation: Operation) => {
  if (operation.access === 'public') return [];
  const staff = operation.access.some((role) => role !== 'viewer');
  return [...(operation.access.includes('viewer') ? [{ viewerToken: [] }] : []), ...(staff ? [{ apiKey: [] }] : [])];
};

const responsesOf = (operation: Operation) => ({
  200: { description: 'OK' },
  400: errorResponse('A parameter is wrong or unknown; the message and details name it and say why.'),
  ...(operation.access !== 'public' && {
    401: errorResponse('No credentials, or a token or key that is not valid (or has expired).'),
    403: errorResponse(`The caller's role may not use this; it is for ${operation.access.join(' or ')}.`),
  }),
  ...((Object.keys(operation.params.shape).length > 0 || 'asOf' in operation.query.shape) && {
    404: errorResponse('The id, or the asOf snapshot, is unknown.'),
  }),
  ...(operation.path === '/readyz' && { 503: { description: 'Some view lags the log by more than READY_MAX_LAG.' } }),
});

export const openApiDocument = (operations: readonly Operation[]) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const path = openApiPath(operation.path);
    paths[path] = {
      ...paths[path],
      [operation.method]: {
        operationId: operationIdOf(operation),
        summary: operation.summary,
        ...(operation.description && { description: operation.description }),
        tags: [operation.path.split('/')[1]],
        'x-roles': operation.access === 'public' ? [] : operation.access,
        security: securityOf(operation),
        parameters: [...parametersOf('path', operation.params), ...parametersOf('query', operation.query)],
        responses: responsesOf(operation),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marquee query API',
      version: '1',
      description:
        'Reads the views the projections build from the event log: the catalog, titles, watch history, accounts, edges and statistics.',
    },
    paths,
    components: {
      securitySchemes: {
        viewerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A viewer's access token." },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A content or analyst key.' },
      },
      schemas: { Error: withoutDialect(z.toJSONSchema(errorBody)) },
    },
  };
};

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

export const openApiJson = defineOperation({
  path: '/openapi.json',
  summary: 'This API described as OpenAPI 3.1',
  access: 'public',
  query: z.strictObject({}),
  handle: async ({ context }) => openApiDocument(context.operations),
});
