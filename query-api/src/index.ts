export { createQueryApp, type QueryAppOptions, queryOperations } from './app';
export { type OpenApiDocument, openApiDocument } from './docs/openapi-document';
export type { ErrorBody } from './error-response';
export { createLogger, type LogLevel, logLevels } from './logger';
