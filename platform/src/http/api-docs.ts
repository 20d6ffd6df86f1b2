import { z } from 'zod';
import { docsPage } from './docs-page';
import { buildOpenApiDocument } from './openapi-document';
import { type defineOperationFor, type Operation, type OperationContext, Reply } from './operation';

type DocumentedContext = OperationContext & { operations: readonly Operation<never>[] };

/** What an API says of itself at the top of its OpenAPI document. */
export type ApiInfo = { title: string; description: string; version?: string };

/** An API's operations described as OpenAPI 3.1 from their own zod schemas. */
export const describeApi = (info: ApiInfo, operations: readonly Operation<never>[]) =>
  buildOpenApiDocument({
    title: info.title,
    version: info.version ?? '1',
    description: info.description,
    operations: operations as readonly Operation<unknown>[],
  });

/** The outline of the document `/openapi.json` answers; its paths are described by OpenAPI itself. */
const openApiOutline = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

/**
 * `/openapi.json` and `/docs` for an API: the document `describeApi` gives for the API's
 * operations, and a page listing them. Each API passes its own `defineOperation`.
 */
export const apiDocsOperations = <Context extends DocumentedContext>(
  define: ReturnType<typeof defineOperationFor<Context>>,
  info: ApiInfo,
) =>
  [
    define({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API described as OpenAPI 3.1',
      access: 'public',
      response: openApiOutline,
      handle: async ({ context }) => describeApi(info, context.operations),
    }),
    define({
      method: 'get',
      path: '/docs',
      summary: 'This page: every operation with its parameters',
      access: 'public',
      handle: async ({ context }) =>
        new Reply(200, docsPage(describeApi(info, context.operations)), 'text/html; charset=utf-8'),
    }),
  ] as const;
