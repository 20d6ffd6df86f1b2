/**
 * What can go wrong in a read, as values with a type. `error-response.ts` maps each to its
 * HTTP status in one place; a handler only throws the one that says what happened.
 */

/** One parameter's problem: where it was sent, its name, and what is wrong with it. */
export type ParameterProblem = { in: 'query' | 'path'; parameter: string; message: string };

export class InvalidRequest extends Error {
  readonly code = 'InvalidRequest';
  constructor(readonly problems: ParameterProblem[]) {
    super(problems.map((p) => (p.parameter ? `${p.parameter}: ${p.message}` : p.message)).join('; '));
    this.name = 'InvalidRequest';
  }
}

export class Forbidden extends Error {
  readonly code = 'Forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

const notFound = <Code extends string>(code: Code) =>
  class extends Error {
    readonly code = code;
    constructor(message: string) {
      super(message);
      this.name = code;
    }
  };

export class TitleNotFound extends notFound('TitleNotFound') {}
export class ProfileNotFound extends notFound('ProfileNotFound') {}
export class AccountNotFound extends notFound('AccountNotFound') {}
export class EdgeNotFound extends notFound('EdgeNotFound') {}
export class RouteNotFound extends notFound('RouteNotFound') {}

export class SnapshotNotFound extends Error {
  readonly code = 'SnapshotNotFound';
  constructor(readonly snapshot: string) {
    super(
      `There is no snapshot "${snapshot}": asOf takes the name of a snapshot an analyst built (marquee snapshot), or leave it out to read the live views.`,
    );
    this.name = 'SnapshotNotFound';
  }
}

/** The projections have never built this view: the server's state, not the caller's mistake. */
export class ViewNotBuilt extends Error {
  readonly code = 'ViewNotBuilt';
  constructor(readonly view: string) {
    super(`The ${view} view has not been built yet; start the projections service and try again.`);
    this.name = 'ViewNotBuilt';
  }
}
