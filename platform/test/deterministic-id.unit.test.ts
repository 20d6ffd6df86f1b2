import { describe, expect, it } from 'vitest';
import { deterministicEventId, deterministicId } from '../src';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministicId', () => {
  it('gives the same id for the same name, and another for another name', () => {
    expect(deterministicId(['k1', 'account'])).toBe(deterministicId(['k1', 'account']));
    expect(deterministicId(['k1', 'account'])).not.toBe(deterministicId(['k1', 'title']));
    expect(deterministicId(['k1', 'account'])).toMatch(uuid);
    expect(deterministicId(['k1', 'account'], 'v4-sha256')).toMatch(uuid);
  });
  it('joins the parts of a name with newlines, so a key with a purpose in it names the same thing', () => {
    expect(deterministicId(['k1\naccount', 'account-x', 3])).toBe(deterministicId(['k1', 'account', 'account-x', 3]));
  });
  // The ids that stored data already holds: a retried request must derive exactly these again.
  it('derives event ids as before (version 5 layout over SHA-1)', () => {
    expect(deterministicEventId('k1', 'account-a1', 0)).toBe('81f8751c-980c-5c19-bbcf-cda12a76dc17');
    expect(deterministicEventId('sign-up-7\naccount', 'account-x', 3)).toBe('5a2e52f1-8dee-5987-b779-73cb03787565');
  });
  it('derives the ids of what a request creates as before (version 4 layout over SHA-256)', () => {
    expect(deterministicId(['k1', 'account'], 'v4-sha256')).toBe('eed905c9-0222-476c-a663-7f9a1648d27a');
    expect(deterministicId(['retry-42', 'session'], 'v4-sha256')).toBe('d87d749f-e09f-4244-a2f4-bd61a8523740');
  });
});
