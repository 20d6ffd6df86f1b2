import { z } from 'zod';
import type { Decider } from '../decider';
import { refusal } from '../errors';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';

/*
 * An email address belongs to one account. Its stream, `email-<hash of the address>`, is the
 * consistency boundary for that: sign-up claims the address before registering the account,
 * and login finds the account through it.
 */

export const EmailClaimed = eventSchema('EmailClaimed', z.object({ accountId: id, at: isoTime }));
export const emailClaimEventSchemas = [EmailClaimed] as const;
export type EmailClaimEvent = EventOf<(typeof emailClaimEventSchemas)[number]>;

export class EmailAlreadyRegistered extends refusal('conflict', () => [
  'An account with this email address already exists; log in instead.',
]) {}

export type EmailClaimCommand = {
  type: 'ClaimEmail';
  accountId: string;
  /** Whether the account that claimed the address before exists (a sign-up cut off half way did not). */
  claimantExists: boolean;
  at: string;
};
export type EmailClaimState = { accountId: string | null };

export const emailClaimDecider: Decider<EmailClaimCommand, EmailClaimState, EmailClaimEvent> = {
  decide: (command, state) => {
    if (state.accountId === command.accountId) return [];
    // A claim whose account was never registered is an abandoned sign-up: the address is free.
    if (state.accountId !== null && command.claimantExists) throw new EmailAlreadyRegistered();
    return [{ type: 'EmailClaimed', data: { accountId: command.accountId, at: command.at } }];
  },
  evolve: (_state, event) => ({ accountId: event.data.accountId }),
  initialState: () => ({ accountId: null }),
};

/** Emails compare without case or surrounding space. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
