import { accountDecider, emailClaimDecider, streamName } from '@marquee/domain';
import {
  aggregateStream,
  hashPassword,
  type Logger,
  passwordNeedsRehash,
  signAccessToken,
  Unauthenticated,
  verifyPassword,
} from '@marquee/platform';
import { z } from 'zod';
import { defineCommandOperation } from '../command-operation';
import { type CommandRequest, runCommand } from '../command-request';
import type { CommandContext } from '../context';
import { emailStream } from './sign-up';
import { signedIn } from './signed-in';

export const logInBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

// An unknown address costs the same scrypt work as a wrong password, so timing tells nothing.
const decoys = new Map<number, Promise<string>>();
const decoyAt = (cost: number) => {
  const decoy = decoys.get(cost) ?? hashPassword('not the password of anyone', cost);
  decoys.set(cost, decoy);
  return decoy;
};
const wrong = () => new Unauthenticated('The email address or password is wrong.');

/**
 * A hash made with weaker parameters than today's is made again now that the password is known
 * to be right. A login that cannot record it still logs in; the next one tries again.
 */
const rehash = async (
  context: CommandContext & { logger: Logger },
  request: CommandRequest,
  accountId: string,
  previousHash: string,
  password: string,
) => {
  try {
    const passwordHash = await hashPassword(password, context.passwordCost);
    await runCommand(context, request, streamName('account', accountId), accountDecider, {
      type: 'RehashPassword',
      previousHash,
      passwordHash,
      at: request.at,
    });
  } catch (error) {
    context.logger.warn(
      { err: error, accountId },
      'a password hash could not be made stronger; the next login tries again',
    );
  }
};

export const logIn = async (
  context: CommandContext & { logger: Logger },
  request: CommandRequest,
  body: z.output<typeof logInBody>,
) => {
  const { state: claim } = await aggregateStream(context.eventStore, emailStream(body.email), emailClaimDecider);
  const account = claim.accountId
    ? (
        await aggregateStream(
          context.eventStore,
          streamName('account', claim.accountId),
          accountDecider,
          context.aggregates,
        )
      ).state
    : undefined;
  if (account?.status !== 'registered') {
    await verifyPassword(body.password, await decoyAt(context.passwordCost));
    throw wrong();
  }
  const verified = await verifyPassword(body.password, account.passwordHash);
  if (passwordNeedsRehash(account.passwordHash, context.passwordCost)) {
    if (verified) await rehash(context, request, account.accountId, account.passwordHash, body.password);
    // An old hash is quick to check: a wrong password pays today's price too, or timing would tell.
    else await verifyPassword(body.password, await decoyAt(context.passwordCost));
  }
  if (!verified) throw wrong();
  return {
    accountId: account.accountId,
    plan: account.plan,
    token: await signAccessToken(context.access.tokenSecret, { accountId: account.accountId }),
  };
};

export const logInOperation = defineCommandOperation({
  method: 'post',
  path: '/login',
  summary: 'Log in with email and password; answers with an access token',
  access: 'public',
  body: logInBody,
  // The domain allows an account without a plan; sign-up starts one with every account.
  response: signedIn.extend({ plan: signedIn.shape.plan.nullable() }),
  errors: { 401: 'The email address or password is wrong.', 429: 'Too many attempts from this address.' },
  handle: ({ context, body, res }) =>
    logIn(
      context,
      { at: context.now().toISOString(), idempotencyKey: undefined, requestId: String(res.locals.requestId ?? '') },
      body,
    ),
});
