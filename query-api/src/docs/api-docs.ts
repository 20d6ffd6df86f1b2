import { type ApiInfo, apiDocsOperations } from '@marquee/platform';
import { defineQueryOperation } from '../query-context';

export const queryApiInfo: ApiInfo = {
  title: 'Marquee query API',
  description:
    'Reads the views the projections build from the event log: the catalog, titles, watch history, accounts, edges and statistics; and steers players between edges.',
};

export const [openApiJson, docs] = apiDocsOperations(defineQueryOperation, queryApiInfo);
