export { createQueryApp, type QueryAppOptions, queryApiDocument, queryOperations } from './app';
