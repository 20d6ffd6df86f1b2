import { Forbidden, NotFound } from '@marquee/platform';
import { accounts, accountView } from '@marquee/read-models';
import { z } from 'zod';
import { declaredFields } from '../declared-fields';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

/** Field by field, so whatever the view gains later is not sent until someone decides it should be. */
const ownAccount = accountView.pick({
  accountId: true,
  email: true,
  plan: true,
  status: true,
  profiles: true,
  registeredAt: true,
  updatedAt: true,
});
const ownAccountFields = declaredFields(ownAccount);

export const getOwnAccount = defineQueryOperation({
  method: 'get',
  path: '/accounts/:accountId',
  summary: "The signed-in viewer's own account: plan, status and profiles",
  access: ['viewer'],
  params: z.strictObject({ accountId: idParam('account') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: ownAccount,
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
    return ownAccountFields(account);
  },
});
