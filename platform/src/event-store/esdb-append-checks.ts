import type { ExpectedRevision } from './event-store';

/*
 * What the EventStoreDB adapter decides about an append before talking to the server, kept apart
 * from the client so it is tested without one.
 */

/** How many events the adapter looks back, by default, for ids an append repeats. */
export const defaultDuplicateScanWindow = 1000;

/**
 * How many of the stream's newest events to read for the batch's ids before appending.
 *
 * - `no_stream`: none. A new stream holds no ids, and if the stream exists the server refuses the
 *   append, whose ids are then looked for (the conflict path).
 * - `any`, `stream_exists`: the window. The server only checks ids in a bounded cache for these,
 *   so beyond the window a retried append can be written twice.
 * - an exact revision: the window too. The server acknowledges a resent append with the same
 *   expectation by itself, but a keyed command that is decided again reloads the stream and
 *   expects its current revision, past its own first append, which the server would write again.
 */
export const duplicateScanBeforeAppend = (expected: ExpectedRevision, window: number): number =>
  expected === 'no_stream' ? 0 : window;

export class UnsupportedEsdbOption extends Error {
  constructor(option: string, why: string) {
    super(`The EventStoreDB connection string sets ${option}, which Marquee does not support: ${why}.`);
    this.name = 'UnsupportedEsdbOption';
  }
}

/**
 * Refuses `throwOnAppendFailure=false`: with it, @eventstore/db-client 6.2.1 reports a failed
 * append as a value whose next expected revision is not the stream's, so a conflict could not
 * be told apart from a retry. Keys are case-insensitive, as the client reads them.
 */
export const refuseUnsupportedOptions = (connectionString: string): void => {
  const query = connectionString.split('?')[1] ?? '';
  for (const pair of query.split('&')) {
    const [key = '', value = ''] = pair.split('=');
    if (key.trim().toLowerCase() === 'throwonappendfailure' && value.trim() !== 'true')
      throw new UnsupportedEsdbOption(
        `throwOnAppendFailure=${value.trim()}`,
        'remove it; a failed append must throw so that a conflict is told from a retry',
      );
  }
};
