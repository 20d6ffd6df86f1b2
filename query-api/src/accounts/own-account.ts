import { Forbidden, NotFound } from '@marquee/platform';
import { accounts } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getOwnAccount = defineQueryOperation({
  method: 'get',
  path: '/accounts/:accountId',
  summary: "The signed-in viewer's own account: plan, status and profiles",
  access: ['viewer'],
  params: z.strictObject({ accountId: idParam('account') }),
  query: z.strictObject({ asOf: asOfParam }),
  errors: viewReadErrors,
  handle: async ({ params, query, caller, context }) => {
    if (params.accountId !== caller.accountId)
      throw new Forbidden('You can read only your own account; your token names another one.');
    const views = readViews(context, query.asOf);
    const account = await views(accounts).get(params.accountId);
    if (!account)
      throw new NotFound(`There is no account "${params.accountId}" (yet): sign up first.`, {
        code: 'AccountNotFound',
      });
    // Field by field, so whatever the view gains later is not sent until someone decides it should be.
    const { accountId, email, plan, status, profiles, registeredAt, updatedAt } = account;
    return { accountId, email, plan, status, profiles, registeredAt, updatedAt };
  },
});
