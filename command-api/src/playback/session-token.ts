import { type ContentGrant, signContentToken } from '@marquee/platform';
import type { CommandContext } from '../context';

/** What a session's content token opens: its title's encoding, with the grant it started with. */
export type SessionContent = { titleId: string; encodingId: string; grant: ContentGrant };

/**
 * Signs a session's content token at the request's time: playback start and every heartbeat
 * sign one, and a replayed answer (which keeps no token) signs the very same one again.
 */
export const signSessionToken = (context: CommandContext, content: SessionContent, at: string) => {
  const { token, expiresAt } = signContentToken(
    context.contentTokens.secret,
    { titleId: content.titleId, encodingId: content.encodingId },
    content.grant,
    { ttlSeconds: context.contentTokens.ttlSeconds, now: new Date(at) },
  );
  return { token, tokenExpiresAt: expiresAt.toISOString() };
};
