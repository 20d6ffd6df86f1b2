import { type AccountCommand, accountDecider, planIds, streamName } from '@marquee/domain';
import { Forbidden } from '@marquee/platform';
import { profile } from '@marquee/read-models';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId, runCommand } from '../command-request';
import type { CommandContext } from '../context';

export const changePlanBody = z.strictObject({ plan: z.enum(planIds) });
export const createProfileBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(50),
  kids: z.boolean().default(false).describe('A kids profile.'),
});

const onAccount = (context: CommandContext, request: CommandRequest, accountId: string, command: AccountCommand) =>
  runCommand(context, request, streamName('account', accountId), accountDecider, command);

export const changePlan = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  body: z.output<typeof changePlanBody>,
) => {
  await onAccount(context, request, accountId, { type: 'ChangePlan', plan: body.plan, at: request.at });
  return { accountId, plan: body.plan };
};

export const cancelSubscription = async (context: CommandContext, request: CommandRequest, accountId: string) => {
  await onAccount(context, request, accountId, { type: 'CancelSubscription', at: request.at });
  return { accountId, status: 'cancelled' as const };
};

export const createProfile = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  body: z.output<typeof createProfileBody>,
) => {
  const profileId = newId(request, 'profile');
  await onAccount(context, request, accountId, {
    type: 'CreateProfile',
    profileId,
    name: body.name,
    kids: body.kids,
    at: request.at,
  });
  return { accountId, profileId, name: body.name.trim(), kids: body.kids };
};

const accountParams = z.strictObject({ accountId: z.string().min(1).max(128) });

/** A viewer acts on their own account only. */
const ownAccount = (caller: { accountId: string }, accountId: string) => {
  if (caller.accountId !== accountId)
    throw new Forbidden('You can change only your own account.', { code: 'NotYourAccount' });
  return accountId;
};

export const changePlanOperation = defineCommand({
  method: 'post',
  path: '/accounts/:accountId/plan',
  summary: 'Change the plan of an active subscription',
  access: ['viewer'],
  params: accountParams,
  body: changePlanBody,
  response: z.object({ accountId: z.string(), plan: z.enum(planIds) }),
  handle: ({ context, params, body, caller }, request) =>
    changePlan(context, request, ownAccount(caller, params.accountId), body),
});

export const cancelSubscriptionOperation = defineCommand({
  method: 'post',
  path: '/accounts/:accountId/cancel',
  summary: 'Cancel the subscription',
  access: ['viewer'],
  params: accountParams,
  body: z.strictObject({}),
  response: z.object({ accountId: z.string(), status: z.literal('cancelled') }),
  handle: ({ context, params, caller }, request) =>
    cancelSubscription(context, request, ownAccount(caller, params.accountId)),
});

export const createProfileOperation = defineCommand({
  method: 'post',
  path: '/accounts/:accountId/profiles',
  summary: 'Create a profile (at most 5 per account)',
  access: ['viewer'],
  params: accountParams,
  body: createProfileBody,
  successStatus: 201,
  response: profile.extend({ accountId: z.string() }),
  handle: ({ context, params, body, caller }, request) =>
    createProfile(context, request, ownAccount(caller, params.accountId), body),
});
