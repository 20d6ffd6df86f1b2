import {
  type AccountCommand,
  accountDecider,
  defaultMaturityLevel,
  languageInput,
  maturityRatings,
  planIds,
  streamName,
} from '@marquee/domain';
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
  maturityLevel: z
    .enum(maturityRatings)
    .optional()
    .describe(
      'The highest rating the profile may watch: 18+ for an adult, 7+ (the most a kids profile may have) for kids, unless chosen.',
    ),
});
export const setMaturityLevelBody = z.strictObject({
  maturityLevel: z.enum(maturityRatings).describe('The highest rating the profile may watch.'),
});
export const setProfileLanguagesBody = z.strictObject({
  audioLanguage: z
    .string()
    .max(64)
    .pipe(languageInput)
    .nullable()
    .describe(
      'The audio language playback starts in ("fr"), when the title has it; null for the title\'s original audio.',
    ),
  captionLanguage: z
    .string()
    .max(64)
    .pipe(languageInput)
    .nullable()
    .describe('The captions shown from the start ("en"), when the title has them; null for captions off.'),
});
const profileLanguagesAnswer = z.object({
  profileId: z.string(),
  audioLanguage: z.string().nullable(),
  captionLanguage: z.string().nullable(),
});
const profileAnswer = profile.extend({ accountId: z.string(), maturityLevel: z.enum(maturityRatings) });

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
  const maturityLevel = body.maturityLevel ?? defaultMaturityLevel(body.kids);
  await onAccount(context, request, accountId, {
    type: 'CreateProfile',
    profileId,
    name: body.name,
    kids: body.kids,
    maturityLevel,
    at: request.at,
  });
  return { accountId, profileId, name: body.name.trim(), kids: body.kids, maturityLevel };
};

export const setMaturityLevel = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  profileId: string,
  body: z.output<typeof setMaturityLevelBody>,
) => {
  await onAccount(context, request, accountId, {
    type: 'SetProfileMaturityLevel',
    profileId,
    maturityLevel: body.maturityLevel,
    at: request.at,
  });
  return { profileId, maturityLevel: body.maturityLevel };
};

export const setProfileLanguages = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  profileId: string,
  body: z.output<typeof setProfileLanguagesBody>,
) => {
  const { audioLanguage, captionLanguage } = body;
  await onAccount(context, request, accountId, {
    type: 'SetProfileLanguages',
    profileId,
    audioLanguage,
    captionLanguage,
    at: request.at,
  });
  return { profileId, audioLanguage, captionLanguage };
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
  response: profileAnswer,
  errors: {
    409: 'The account has 5 profiles already, or one with this name (ProfileLimitReached, ProfileAlreadyExists).',
    422: 'A kids profile cannot have a maturity level above 7+ (KidsMaturityCapExceeded).',
  },
  handle: ({ context, params, body, caller }, request) =>
    createProfile(context, request, ownAccount(caller, params.accountId), body),
});

export const setMaturityLevelOperation = defineCommand({
  method: 'put',
  path: '/accounts/:accountId/profiles/:profileId/maturity',
  summary: "Set a profile's maturity level: the highest rating it may watch",
  description: "Every read that names a title, and every playback start, is held to the profile's level.",
  access: ['viewer'],
  params: accountParams.extend({ profileId: z.string().min(1).max(128) }),
  body: setMaturityLevelBody,
  response: z.object({ profileId: z.string(), maturityLevel: z.enum(maturityRatings) }),
  errors: {
    404: 'The profile is not on this account (ProfileNotFound).',
    422: 'A kids profile cannot be raised above 7+ (KidsMaturityCapExceeded).',
  },
  handle: ({ context, params, body, caller }, request) =>
    setMaturityLevel(context, request, ownAccount(caller, params.accountId), params.profileId, body),
});

export const setProfileLanguagesOperation = defineCommand({
  method: 'put',
  path: '/accounts/:accountId/profiles/:profileId/languages',
  summary: "Set a profile's audio and caption languages: what playback starts with",
  description:
    'Tags as BCP 47 ("en", "fr", "pt-BR"; "fre" and "FR" are read too). A title without the language plays its original audio, or no captions.',
  access: ['viewer'],
  params: accountParams.extend({ profileId: z.string().min(1).max(128) }),
  body: setProfileLanguagesBody,
  response: profileLanguagesAnswer,
  errors: { 404: 'The profile is not on this account (ProfileNotFound).' },
  handle: ({ context, params, body, caller }, request) =>
    setProfileLanguages(context, request, ownAccount(caller, params.accountId), params.profileId, body),
});
