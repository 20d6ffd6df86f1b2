export { createQueryApp, type QueryAppOptions, queryOperations } from './app';
export { type OpenApiDocument, openApiDocument } from './docs/openapi-document';
export type { ErrorBody } from './error-response';
