import { docsPage } from './docs-page';
import { buildOpenApiDocument } from './openapi-document';
import { type defineOperationFor, type Operation, type OperationContext, Reply } from './operation';

type DocumentedContext = OperationContext & { operations: readonly Operation<never>[] };

/**
 * `/openapi.json` and `/docs` for an API: its operations described as OpenAPI 3.1 from their
 * own zod schemas, and a page listing them. Each API passes its own `defineOperation`.
 */
export const apiDocsOperations = <Context extends DocumentedContext>(
  define: ReturnType<typeof defineOperationFor<Context>>,
  info: { title: string; description: string; version?: string },
) => {
  const document = (context: Context) =>
    buildOpenApiDocument({
      title: info.title,
      version: info.version ?? '1',
      description: info.description,
      operations: context.operations as readonly Operation<unknown>[],
    });
  return [
    define({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API described as OpenAPI 3.1',
      access: 'public',
      handle: async ({ context }) => document(context),
    }),
    define({
      method: 'get',
      path: '/docs',
      summary: 'This page: every operation with its parameters',
      access: 'public',
      handle: async ({ context }) => new Reply(200, docsPage(document(context)), 'text/html; charset=utf-8'),
    }),
  ] as const;
};
