import { randomUUID } from 'node:crypto';
import type { Decider, MarqueeEvent } from '@marquee/domain';
import { type AppendContext, deterministicId, type HandleOptions, handleCommand } from '@marquee/platform';
import type { CommandContext } from './context';

/**
 * One command request: when it happened, and its Idempotency-Key if it had one. With a key,
 * the ids a command makes (account, title, session, events) derive from it, so a retry that
 * runs again after a crash makes the same ones and the store writes nothing twice.
 */
export type CommandRequest = { at: string; idempotencyKey: string | undefined; requestId: string };

/** A new id for what a request creates (`purpose`: account, title…): random, or derived from its key. */
export const newId = (request: CommandRequest, purpose: string): string =>
  request.idempotencyKey ? deterministicId([request.idempotencyKey, purpose], 'v4-sha256') : randomUUID();

/** How a command's events are appended: ids from the key, and the request id in their metadata. */
export const appendContext = (request: CommandRequest, purpose: string): AppendContext => ({
  ...(request.idempotencyKey && { idempotencyKey: `${request.idempotencyKey}\n${purpose}` }),
  metadata: { requestId: request.requestId },
});

/**
 * How the API runs a command with `handleCommand`: ids from the request's key, its cached state,
 * and a few re-decisions when another writer got there first (the domain decides again on the
 * fresh state, so a retry never does what the state no longer allows).
 */
export const commandOptions = (
  context: CommandContext,
  request: CommandRequest,
  purpose: string,
  retries = 3,
): AppendContext & HandleOptions => ({ ...appendContext(request, purpose), cache: context.aggregates, retries });

/** A request's command on one stream: `handleCommand` with `commandOptions`. */
export const runCommand = <Command extends { type: string }, State, Event extends MarqueeEvent>(
  context: CommandContext,
  request: CommandRequest,
  streamName: string,
  decider: Decider<Command, State, Event>,
  command: Command,
) => handleCommand(context.eventStore, streamName, decider, command, commandOptions(context, request, command.type));
