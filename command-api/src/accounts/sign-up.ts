import { createHash } from 'node:crypto';
import {
  AccountAlreadyRegistered,
  type AccountState,
  accountDecider,
  EmailAlreadyRegistered,
  emailClaimDecider,
  normalizeEmail,
  type PlanId,
  planIds,
  streamName,
} from '@marquee/domain';
import { aggregateStream, handleCommand, hashPassword, signAccessToken, verifyPassword } from '@marquee/platform';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, commandOptions, newId } from '../command-request';
import type { CommandContext } from '../context';
import { signedIn } from './signed-in';

export const signUpBody = z.strictObject({
  email: z.email().max(254).describe('The address to log in with.'),
  password: z.string().min(10, 'must be at least 10 characters').max(200).describe('10 to 200 characters.'),
  plan: z.enum(planIds).describe('basic (720p, 1 stream), standard (1080p, 2 streams) or premium (2160p, 4 streams).'),
});

export const emailStream = (email: string) =>
  streamName('email', createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 40));

/** What is kept of a sign-up for its retries: no token, only what it is issued from. */
type SignedUp = { accountId: string; plan: PlanId; tokenIssuedAt: string };

/** A key's account, re-found by a retry, is the caller's only with its password: otherwise the address is taken. */
const assertOwnAccount = async (account: AccountState, password: string) => {
  if (account.status !== 'registered' || !(await verifyPassword(password, account.passwordHash)))
    throw new EmailAlreadyRegistered();
};

const accountOf = async (context: CommandContext, accountId: string) =>
  (await aggregateStream(context.eventStore, streamName('account', accountId), accountDecider, context.aggregates))
    .state;

/** Claims the address, then registers the account and starts its subscription. */
export const signUp = async (
  context: CommandContext,
  request: CommandRequest,
  body: z.output<typeof signUpBody>,
): Promise<SignedUp> => {
  const { eventStore } = context;
  const accountId = newId(request, 'account');
  const account = streamName('account', accountId);
  // The wall clock, not the request's time: tokens are checked against it.
  const signedUp: SignedUp = { accountId, plan: body.plan, tokenIssuedAt: new Date().toISOString() };

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

  // A retry that runs again after a crash finds its own account already registered: done,
  // once the password is shown to be that account's.
  const existing = await accountOf(context, accountId);
  if (existing.status === 'registered' && request.idempotencyKey) {
    await assertOwnAccount(existing, body.password);
    return signedUp;
  }
  const passwordHash = await hashPassword(body.password, context.passwordCost);
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
    await assertOwnAccount(await accountOf(context, accountId), body.password);
  }
  return signedUp;
};

/** The answer, 201 with a token: a replay checks the password again before the token is issued again. */
export const signUpAnswer = async (
  context: CommandContext,
  signedUp: SignedUp,
  body: z.output<typeof signUpBody>,
  replayed: boolean,
) => {
  if (replayed) await assertOwnAccount(await accountOf(context, signedUp.accountId), body.password);
  return {
    accountId: signedUp.accountId,
    plan: signedUp.plan,
    token: await signAccessToken(
      context.access.tokenSecret,
      { accountId: signedUp.accountId },
      { now: new Date(signedUp.tokenIssuedAt) },
    ),
  };
};

export const signUpOperation = defineCommand({
  method: 'post',
  path: '/accounts',
  summary: 'Sign up: register an account and start its subscription',
  description: 'Answers with the account id and an access token. The email address must not belong to another account.',
  access: 'public',
  body: signUpBody,
  successStatus: 201,
  response: signedIn,
  errors: { 409: 'The email address belongs to another account.', 429: 'Too many sign-ups from this address.' },
  handle: ({ context, body }, request) => signUp(context, request, body),
  answer: (signedUp, { context, body }, { replayed }) => signUpAnswer(context, signedUp, body, replayed),
});
