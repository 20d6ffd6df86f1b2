/*
 * The player's API types, generated from the APIs' own OpenAPI documents (the ones each serves at
 * GET /openapi.json, built from its operations' zod schemas) by openapi-typescript. Both the
 * generator script and the staleness test call this, so the files they compare are made one way.
 */
import { fileURLToPath } from 'node:url';
import { commandApiDocument } from '@marquee/command-api';
import { queryApiDocument } from '@marquee/query-api';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

export const generatedDirectory = fileURLToPath(new URL('../src/app/api/generated/', import.meta.url));

export const regenerateCommand = 'npm run generate:api -w player';

const header = (api: string) =>
  `/*\n * Generated from the ${api}'s OpenAPI document by openapi-typescript: do not edit.\n * After changing the API, run \`${regenerateCommand}\`.\n */\n\n`;

const typesOf = async (api: string, document: unknown) =>
  header(api) + astToString(await openapiTS(document as OpenAPI3, { alphabetize: true }));

/** File name in `generatedDirectory` → its text. */
export const generateApiTypes = async (): Promise<Record<string, string>> => ({
  'command-api.ts': await typesOf('command API', commandApiDocument()),
  'query-api.ts': await typesOf('query API', queryApiDocument()),
});
