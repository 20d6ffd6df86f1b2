import { createHash } from 'node:crypto';
import {
  AccountAlreadyRegistered,
  accountDecider,
  emailClaimDecider,
  normalizeEmail,
  planIds,
  streamName,
} from '@marquee/domain';
import { aggregateStream, handleCommand, hashPassword, signAccessToken } from '@marquee/platform';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, commandOptions, newId } from '../command-request';
import type { CommandContext } from '../context';

export const signUpBody = z.strictObject({
  email: z.email().max(254).describe('The address to log in with.'),
  password: z.string().min(10, 'must be at least 10 characters').max(200).describe('10 to 200 characters.'),
  plan: z.enum(planIds).describe('basic (720p, 1 stream), standard (1080p, 2 streams) or premium (2160p, 4 streams).'),
});

export const emailStream = (email: string) =>
  streamName('email', createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 40));

/** Claims the address, then registers the account and starts its subscription: 201 with a token. */
export const signUp = async (context: CommandContext, request: CommandRequest, body: z.output<typeof signUpBody>) => {
  const { eventStore, aggregates } = context;
  const accountId = newId(request, 'account');
  const account = streamName('account', accountId);
  const answer = async () => ({
    accountId,
    plan: body.plan,
    token: await signAccessToken(context.access.tokenSecret, { accountId }),
  });

  const claim = emailStream(body.email);
  const { state: claimed } = await aggregateStream(eventStore, claim, emailClaimDecider);
  const claimantExists =
    claimed.accountId !== null &&
    (await aggregateStream(eventStore, streamName('account', claimed.accountId), accountDecider)).revision !==
      undefined;
  await handleCommand(
    eventStore,
    claim,
    emailClaimDecider,
    { type: 'ClaimEmail', accountId, claimantExists, at: request.at },
    commandOptions(context, request, 'claim', 0),
  );

  // A retry that runs again after a crash finds its own account already registered: done.
  const { state: existing } = await aggregateStream(eventStore, account, accountDecider, aggregates);
  if (existing.status === 'registered' && request.idempotencyKey) return answer();
  const passwordHash = await hashPassword(body.password);
  try {
    await handleCommand(
      eventStore,
      account,
      accountDecider,
      [
        { type: 'RegisterAccount', accountId, email: normalizeEmail(body.email), passwordHash, at: request.at },
        { type: 'StartSubscription', plan: body.plan, at: request.at },
      ],
      commandOptions(context, request, 'account', 0),
    );
  } catch (error) {
    // The account id derives from the key: if it is registered, this request's twin did it.
    if (!(error instanceof AccountAlreadyRegistered && request.idempotencyKey)) throw error;
  }
  return answer();
};

export const signUpOperation = defineCommand({
  method: 'post',
  path: '/accounts',
  summary: 'Sign up: register an account and start its subscription',
  description: 'Answers with the account id and an access token. The email address must not belong to another account.',
  access: 'public',
  body: signUpBody,
  successStatus: 201,
  errors: { 409: 'The email address belongs to another account.', 429: 'Too many sign-ups from this address.' },
  handle: ({ context, body }, request) => signUp(context, request, body),
});
