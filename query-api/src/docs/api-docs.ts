import { buildOpenApiDocument, docsPage, type Operation, Reply } from '@marquee/platform';
import { defineQueryOperation, type QueryContext } from '../query-context';

/** This API described as OpenAPI 3.1, from the operations' own schemas. */
export const queryApiDocument = (operations: readonly Operation<QueryContext>[]) =>
  buildOpenApiDocument({
    title: 'Marquee query API',
    version: '1',
    description:
      'Reads the views the projections build from the event log: the catalog, titles, watch history, accounts, edges and statistics.',
    operations,
  });

export const openApiJson = defineQueryOperation({
  method: 'get',
  path: '/openapi.json',
  summary: 'This API described as OpenAPI 3.1',
  access: 'public',
  handle: async ({ context }) => queryApiDocument(context.operations),
});

export const docs = defineQueryOperation({
  method: 'get',
  path: '/docs',
  summary: 'This page: every operation with its parameters',
  access: 'public',
  handle: async ({ context }) =>
    new Reply(200, docsPage(queryApiDocument(context.operations)), 'text/html; charset=utf-8'),
});
