import {
  type AccountState,
  accountDecider,
  type PlaybackDecision,
  type PlaybackState,
  playbackDecider,
  SessionNotFound,
  streamName,
} from '@marquee/domain';
import { aggregateStream, appendDecided, handleCommand, VersionConflict } from '@marquee/platform';
import { appendContext, type CommandRequest } from '../command-request';
import type { CommandContext } from '../context';

/**
 * The session's record failed after its lease was granted: the lease is given back at once,
 * so no stream slot stays taken by a session that does not exist.
 */
const releaseOrphanLease = async (
  context: CommandContext,
  request: CommandRequest,
  accountStream: string,
  decision: PlaybackDecision,
) => {
  const granted = decision.account.find((event) => event.type === 'PlaybackLeaseGranted');
  if (granted?.type !== 'PlaybackLeaseGranted') return;
  await handleCommand(
    context.eventStore,
    accountStream,
    accountDecider,
    { type: 'ReleasePlaybackLease', sessionId: granted.data.sessionId, at: request.at },
    { ...appendContext(request, 'release'), retries: 3, cache: context.aggregates },
  ).catch(() => {
    // Could not even write that: the lease still expires by itself within two minutes.
  });
};

/**
 * Decides a playback command over its two streams and appends the account's events (the lease:
 * the boundary of the plan's stream limit) before the session's. When another device wrote to
 * the account first, both are loaded again and the domain decides again, a few times.
 */
export const onAccountAndSession = async (
  context: CommandContext,
  request: CommandRequest,
  ids: { accountId: string; sessionId: string },
  decide: (state: { account: AccountState; session: PlaybackState }) => PlaybackDecision,
): Promise<PlaybackDecision> => {
  const { eventStore, aggregates } = context;
  const accountStream = streamName('account', ids.accountId);
  const sessionStream = streamName('playback', ids.sessionId);
  for (let attempt = 0; ; attempt++) {
    const [account, session] = await Promise.all([
      aggregateStream<AccountState, never>(eventStore, accountStream, accountDecider, aggregates),
      aggregateStream<PlaybackState, never>(eventStore, sessionStream, playbackDecider, aggregates),
    ]);
    // Someone else's session is as unknown to this account as one that never existed.
    if (session.state.status !== 'none' && session.state.accountId !== ids.accountId)
      throw new SessionNotFound(ids.sessionId);
    const decision = decide({ account: account.state, session: session.state });
    try {
      await appendDecided(
        context,
        accountStream,
        accountDecider,
        account,
        decision.account,
        appendContext(request, 'lease'),
      );
    } catch (error) {
      if (error instanceof VersionConflict && attempt < 3) continue;
      throw error;
    }
    try {
      await appendDecided(
        context,
        sessionStream,
        playbackDecider,
        session,
        decision.playback,
        appendContext(request, 'session'),
      );
      return decision;
    } catch (error) {
      // Another request for the same session wrote first: decide again on what it wrote.
      if (error instanceof VersionConflict && attempt < 3) continue;
      await releaseOrphanLease(context, request, accountStream, decision);
      throw error;
    }
  }
};
