export { createQueryApp, type QueryAppOptions, queryOperations } from './app';
export { queryApiDocument } from './docs/api-docs';
