import { createHash } from 'node:crypto';

/*
 * Two layouts, because ids derived with each are already stored: a retried request must derive
 * the very id its first attempt did (an account from a sign-up key, an event from a request), or
 * it would create a second one. New uses take the default.
 */
const layouts = {
  /** A version 5 UUID's layout over SHA-1 of the name: event ids. */
  'v5-sha1': {
    hash: 'sha1',
    version: '5',
    variant: (hex: string) => ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16) + hex.slice(18, 20),
  },
  /** A version 4 UUID's layout over SHA-256 of the name, variant nibble `a`: ids of accounts, titles, sessions… */
  'v4-sha256': { hash: 'sha256', version: '4', variant: (hex: string) => `a${hex.slice(17, 20)}` },
} as const;

export type DeterministicIdLayout = keyof typeof layouts;

/**
 * A UUID derived from a name (its parts joined by newlines): the same name gives the same id,
 * in every process, so a retried request makes the same ids and the store writes nothing twice.
 */
export const deterministicId = (
  name: readonly (string | number)[],
  layout: DeterministicIdLayout = 'v5-sha1',
): string => {
  const { hash, version, variant } = layouts[layout];
  const hex = createHash(hash).update(name.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant(hex)}-${hex.slice(20, 32)}`;
};

/** The id of a command's `index`th event on a stream, from the request's idempotency key. */
export const deterministicEventId = (idempotencyKey: string, streamName: string, index: number): string =>
  deterministicId([idempotencyKey, streamName, index]);
