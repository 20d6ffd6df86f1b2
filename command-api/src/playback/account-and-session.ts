import {
  type AccountState,
  accountDecider,
  type PlaybackDecision,
  type PlaybackState,
  playbackDecider,
  SessionNotFound,
  streamName,
} from '@marquee/domain';
import { handleCommand } from '@marquee/platform';
import { appendContext, type CommandRequest, commandOptions } from '../command-request';
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
    commandOptions(context, request, 'release'),
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
  const accountStream = streamName('account', ids.accountId);
  const { decided } = await handleCommand(
    context.eventStore,
    {
      account: { streamName: accountStream, decider: accountDecider, append: appendContext(request, 'lease') },
      playback: {
        streamName: streamName('playback', ids.sessionId),
        decider: playbackDecider,
        append: appendContext(request, 'session'),
      },
    },
    ({ account, playback }): PlaybackDecision => {
      // Someone else's session is as unknown to this account as one that never existed.
      if (playback.status !== 'none' && playback.accountId !== ids.accountId) throw new SessionNotFound(ids.sessionId);
      return decide({ account, session: playback });
    },
    {
      retries: 3,
      cache: context.aggregates,
      onIncomplete: (decision) => releaseOrphanLease(context, request, accountStream, decision),
    },
  );
  return decided;
};
