import { createHash, randomUUID } from 'node:crypto';
import type { AppendContext } from '@marquee/platform';

/**
 * One command request: when it happened, and its Idempotency-Key if it had one. With a key,
 * the ids a command makes (account, title, session, events) derive from it, so a retry that
 * runs again after a crash makes the same ones and the store writes nothing twice.
 */
export type CommandRequest = { at: string; idempotencyKey: string | undefined; requestId: string };

export const newId = (request: CommandRequest, purpose: string): string => {
  if (!request.idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${request.idempotencyKey}\n${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** How a command's events are appended: ids from the key, and the request id in their metadata. */
export const appendContext = (request: CommandRequest, purpose: string): AppendContext => ({
  ...(request.idempotencyKey && { idempotencyKey: `${request.idempotencyKey}\n${purpose}` }),
  metadata: { requestId: request.requestId },
});
