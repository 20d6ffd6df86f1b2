import { expect } from 'vitest';
import { type Decider, foldEvents } from '../src/decider';
import type { DomainError } from '../src/errors';

type ErrorClass = abstract new (...args: never[]) => DomainError;

/**
 * Given/when/then for deciders: `given(events).when(command).then(events)`,
 * `.thenNothing()` for an accepted no-op, or `.thenThrows(ErrorType, /message/)`.
 */
export const deciderSpec = <Command, State, Event>(decider: Decider<Command, State, Event>) => ({
  given: (events: Event[] = []) => ({
    when: (command: Command) => {
      const run = () => decider.decide(command, foldEvents(decider, events));
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then reads like the domain; specs are never awaited.
        then: (expected: Event[]) => expect(run()).toEqual(expected),
        thenNothing: () => expect(run()).toEqual([]),
        thenThrows: (type: ErrorClass, message?: RegExp) => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown, 'the command should have been refused').toBeInstanceOf(type);
          if (message) expect((thrown as Error).message).toMatch(message);
          return thrown as DomainError;
        },
      };
    },
  }),
});
