import {
  type AccountState,
  accountDecider,
  decideHeartbeat,
  decideStopPlayback,
  type PlaybackDecision,
  type PlaybackState,
  playbackDecider,
  SessionNotFound,
  streamName,
} from '@marquee/domain';
import { aggregateStream, appendDecided, handleCommand, VersionConflict } from '@marquee/platform';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { appendContext, type CommandRequest } from '../command-request';
import type { CommandContext } from '../context';

const seconds = z
  .number()
  .nonnegative()
  .max(7 * 24 * 3600);
export const heartbeatBody = z.strictObject({ profileId: z.string().min(1).max(128), positionSeconds: seconds });
export const stopBody = heartbeatBody;
export const qoeBody = z.strictObject({
  profileId: z.string().min(1).max(128),
  edgeId: z
    .string()
    .min(1)
    .max(128)
    .nullable()
    .describe('The edge that served most of the session; null for the origin.'),
  startupMs: z.number().nonnegative().max(600_000),
  rebufferCount: z.number().int().nonnegative().max(100_000),
  rebufferMs: z
    .number()
    .nonnegative()
    .max(7 * 24 * 3600 * 1000),
  averageBitrateKbps: z.number().nonnegative().max(1_000_000),
  switches: z.number().int().nonnegative().max(100_000),
  watchedSeconds: seconds,
});

type SessionDecision = (
  input: { sessionId: string; profileId: string; positionSeconds: number; at: string },
  state: { account: AccountState; session: PlaybackState },
) => PlaybackDecision;

/** A heartbeat or a stop: the account's lease (renewed or released) first, then the session's record. */
const onBothStreams = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: { profileId: string; positionSeconds: number },
  decide: SessionDecision,
) => {
  const { eventStore, aggregates } = context;
  const accountStream = streamName('account', accountId);
  const sessionStream = streamName('playback', sessionId);
  for (let attempt = 0; ; attempt++) {
    const [account, session] = await Promise.all([
      aggregateStream<AccountState, never>(eventStore, accountStream, accountDecider, aggregates),
      aggregateStream<PlaybackState, never>(eventStore, sessionStream, playbackDecider, aggregates),
    ]);
    // Someone else's session is as unknown to this account as one that never existed.
    if (session.state.status !== 'none' && session.state.accountId !== accountId) throw new SessionNotFound(sessionId);
    const decision = decide(
      { sessionId, profileId: body.profileId, positionSeconds: body.positionSeconds, at: request.at },
      {
        account: account.state,
        session: session.state,
      },
    );
    try {
      await appendDecided(
        context,
        accountStream,
        accountDecider,
        account,
        decision.account,
        appendContext(request, 'lease'),
      );
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
      if (error instanceof VersionConflict && attempt < 3) continue;
      throw error;
    }
  }
};

export const heartbeat = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: z.output<typeof heartbeatBody>,
) => {
  const decision = await onBothStreams(context, request, accountId, sessionId, body, decideHeartbeat);
  const renewed = decision.account.find((e) => e.type === 'PlaybackLeaseRenewed');
  return {
    sessionId,
    positionSeconds: body.positionSeconds,
    ...(renewed?.type === 'PlaybackLeaseRenewed' && { leaseExpiresAt: renewed.data.expiresAt }),
  };
};

export const stopPlayback = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: z.output<typeof stopBody>,
) => {
  await onBothStreams(context, request, accountId, sessionId, body, decideStopPlayback);
  return { sessionId, stopped: true, positionSeconds: body.positionSeconds };
};

export const reportQoE = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: z.output<typeof qoeBody>,
) => {
  const { profileId, ...qoe } = body;
  await handleCommand(
    context.eventStore,
    streamName('playback', sessionId),
    playbackDecider,
    { type: 'ReportQoE', sessionId, accountId, profileId, ...qoe, at: request.at },
    { ...appendContext(request, 'qoe'), cache: context.aggregates, retries: 3 },
  );
  return { sessionId, recorded: true };
};

const sessionParams = z.strictObject({ sessionId: z.string().min(1).max(128) });

export const heartbeatOperation = defineCommand({
  method: 'post',
  path: '/playback/:sessionId/progress',
  summary: 'A heartbeat: records the position and keeps the stream slot',
  description: 'Send one every 15 to 30 seconds. Without them the session expires after two minutes.',
  access: ['viewer'],
  params: sessionParams,
  body: heartbeatBody,
  errors: { 404: 'No such session on this account.', 409: 'The session expired or stopped: start playback again.' },
  handle: ({ context, params, body, caller }, request) =>
    heartbeat(context, request, caller.accountId, params.sessionId, body),
});

export const reportQoEOperation = defineCommand({
  method: 'post',
  path: '/playback/:sessionId/qoe',
  summary: 'Report the quality of experience: startup time, rebuffering, bitrate, switches',
  access: ['viewer'],
  params: sessionParams,
  body: qoeBody,
  handle: ({ context, params, body, caller }, request) =>
    reportQoE(context, request, caller.accountId, params.sessionId, body),
});

export const stopPlaybackOperation = defineCommand({
  method: 'post',
  path: '/playback/:sessionId/stop',
  summary: 'Stop playback: records the final position and gives the stream slot back',
  access: ['viewer'],
  params: sessionParams,
  body: stopBody,
  handle: ({ context, params, body, caller }, request) =>
    stopPlayback(context, request, caller.accountId, params.sessionId, body),
});
