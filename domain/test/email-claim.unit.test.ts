import { describe, expect, it } from 'vitest';
import { EmailAlreadyRegistered, emailClaimDecider, normalizeEmail } from '../src';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(emailClaimDecider);
const at = '2026-11-24T10:00:00.000Z';
const claimed = { type: 'EmailClaimed', data: { accountId: 'a1', at } } as const;

describe('email claims', () => {
  it('claims a free address', () =>
    given([]).when({ type: 'ClaimEmail', accountId: 'a1', claimantExists: false, at }).then([claimed]));
  it('refuses an address another account holds', () =>
    given([claimed])
      .when({ type: 'ClaimEmail', accountId: 'a2', claimantExists: true, at })
      .thenThrows(EmailAlreadyRegistered, /log in instead/));
  it('treats the same account claiming again as done (a retried sign-up)', () =>
    given([claimed]).when({ type: 'ClaimEmail', accountId: 'a1', claimantExists: true, at }).thenNothing());
  it('frees an address whose sign-up never registered its account', () =>
    given([claimed])
      .when({ type: 'ClaimEmail', accountId: 'a2', claimantExists: false, at })
      .then([{ type: 'EmailClaimed', data: { accountId: 'a2', at } }]));
  it('compares addresses without case or spaces', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});
