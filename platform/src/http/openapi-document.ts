import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { errorBody } from './error-response';
import type { Operation } from './operation';

/*
 * The OpenAPI 3.1 document, generated from the operations themselves: the zod schemas that
 * validate each endpoint's parameters and body are the ones described here, so the document
 * cannot disagree with what the API accepts; and each success answer is described by the
 * schema that the API's tests check every answer against.
 */

type DescribedOperation = Omit<Operation<unknown>, 'run'>;
type JsonSchema = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

// OpenAPI 3.1 documents declare the JSON Schema dialect once, not in every schema.
const withoutDialect = ({ $schema: _, ...schema }: Record<string, unknown>) => schema;

// `input`: what a caller sends, so a field with a default is optional.
const inputSchema = (schema: z.ZodType) =>
  withoutDialect(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as JsonSchema;

// `output`: what the API answers, so every field is there and no other (additionalProperties: false).
const outputSchema = (schema: z.ZodType) =>
  withoutDialect(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }));

const parametersOf = (where: 'path' | 'query' | 'header', schema: z.ZodObject) => {
  const json = inputSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof description === 'string' && { description }),
    schema: property,
  }));
};

const requestBodyOf = (body: z.ZodObject) => {
  const schema = inputSchema(body);
  return {
    // A request without a body is read as `{}`, which is enough when no field is required.
    required: (schema.required ?? []).length > 0,
    content: { 'application/json': { schema } },
  };
};

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const operationIdOf = (operation: DescribedOperation) =>
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

const securityOf = (operation: DescribedOperation) => {
  if (operation.access === 'public') return [];
  const staff = operation.access.some((role) => role !== 'viewer');
  return [...(operation.access.includes('viewer') ? [{ viewerToken: [] }] : []), ...(staff ? [{ apiKey: [] }] : [])];
};

const responsesOf = (operation: DescribedOperation) => {
  const errors: Record<number, string | undefined> = {
    400: operation.body
      ? 'A parameter or body field is wrong or unknown, or the body is not JSON; the message and details name it and say why.'
      : 'A parameter is wrong or unknown; the message and details name it and say why.',
    ...(operation.access !== 'public' && {
      401: 'No credentials, or a token or key that is not valid (or has expired).',
      403: `The caller's role may not use this; it is for ${operation.access.join(' or ')}.`,
    }),
    ...(Object.keys(operation.params.shape).length > 0 && { 404: 'Nothing has the id in the path.' }),
    ...(operation.body && {
      413: 'The body is larger than this endpoint takes; the message says the limit.',
      415: 'The body is not JSON (send Content-Type: application/json, in UTF-8).',
    }),
    ...operation.errors,
  };
  return {
    [operation.successStatus]: {
      description: STATUS_CODES[operation.successStatus] ?? 'Success',
      ...(operation.response && { content: { 'application/json': { schema: outputSchema(operation.response) } } }),
    },
    ...Object.fromEntries(
      Object.entries(errors).flatMap(([status, description]) =>
        description === undefined ? [] : [[status, errorResponse(description)]],
      ),
    ),
  };
};

export const buildOpenApiDocument = (api: {
  title: string;
  version: string;
  description: string;
  operations: readonly DescribedOperation[];
}) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of api.operations) {
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
        parameters: [
          ...parametersOf('path', operation.params),
          ...parametersOf('query', operation.query),
          ...parametersOf('header', operation.headers),
        ],
        ...(operation.body && { requestBody: requestBodyOf(operation.body) }),
        responses: responsesOf(operation),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, description: api.description },
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

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
