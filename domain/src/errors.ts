/**
 * What kind of refusal an error is, so each API maps it to one HTTP status in one place:
 * `not_found` 404, `conflict` 409 (the state forbids it now), `invalid` 422 (the request
 * can never succeed as written).
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid';

/** A command refused by the domain. `code` (the class name) is stable for clients; `message` is for people. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  get code(): string {
    return this.name;
  }
}

/**
 * The base of one kind of refusal: `class TitleNotFound extends refusal('not_found', (id: string) =>
 * [`There is no title ${id}.`, { titleId: id }]) {}` gives a typed error whose constructor takes
 * what the message needs.
 */
export const refusal = <Args extends unknown[]>(
  kind: DomainErrorKind,
  describe: (...args: Args) => [message: string, details?: Record<string, unknown>],
) =>
  class extends DomainError {
    readonly kind = kind;
    constructor(...args: Args) {
      super(...describe(...args));
    }
  };

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
