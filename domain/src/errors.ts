/**
 * What kind of refusal an error is, so each API maps it to one HTTP status in one place:
 * `not_found` 404, `conflict` 409 (the state forbids it now), `invalid` 422 (the request
 * can never succeed as written).
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid';

/** A command refused by the domain. `code` is stable for clients; `message` is for people. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
