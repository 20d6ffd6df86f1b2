import {
  type AccountState,
  decideHeartbeat,
  decideStopPlayback,
  type PlaybackDecision,
  type PlaybackState,
  playbackDecider,
  streamName,
  type TitleState,
} from '@marquee/domain';
import { aggregateStream } from '@marquee/platform';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, runCommand } from '../command-request';
import type { CommandContext } from '../context';
import { onAccountAndSession } from './account-and-session';
import { type SessionContent, signSessionToken } from './session-token';
import { titleAndSeries } from './start-playback';

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
const onBothStreams = (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: { profileId: string; positionSeconds: number },
  decide: SessionDecision,
) =>
  onAccountAndSession(context, request, { accountId, sessionId }, (state) =>
    decide({ sessionId, profileId: body.profileId, positionSeconds: body.positionSeconds, at: request.at }, state),
  );

/** The session as it started (what it plays and its grant never change), and its title (and series) now. */
const sessionAndTitle = async (context: CommandContext, sessionId: string) => {
  const { eventStore, aggregates } = context;
  const { state: session } = await aggregateStream(
    eventStore,
    streamName('playback', sessionId),
    playbackDecider,
    aggregates,
  );
  if (session.status === 'none') return { session, title: { status: 'none' } as TitleState, series: null };
  return { session, ...(await titleAndSeries(context, session.titleId)) };
};

/**
 * A heartbeat keeps the stream slot and renews the content token with the grant the session
 * started with; the domain refuses it for a stopped or expired session and an unpublished title,
 * so those get no fresh token and the old one lapses. The result keeps no token (see start).
 */
export const heartbeat = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  sessionId: string,
  body: z.output<typeof heartbeatBody>,
) => {
  const { session, title, series } = await sessionAndTitle(context, sessionId);
  const decision = await onBothStreams(context, request, accountId, sessionId, body, (input, state) =>
    decideHeartbeat(input, { ...state, title, series }),
  );
  const renewed = decision.account.find((e) => e.type === 'PlaybackLeaseRenewed');
  // The decider accepted a started session, so this is one.
  if (session.status === 'none') throw new Error(`session ${sessionId} has no start`);
  const content: SessionContent = {
    titleId: session.titleId,
    encodingId: session.encodingId,
    grant: { sessionId, maxHeight: session.maxHeight, region: session.region, pathways: session.edges },
  };
  return {
    sessionId,
    positionSeconds: body.positionSeconds,
    ...(renewed?.type === 'PlaybackLeaseRenewed' && { leaseExpiresAt: renewed.data.expiresAt }),
    content,
  };
};

/** The heartbeat's answer: its result with a fresh content token, signed at the request's time. */
const heartbeatAnswer = (
  context: CommandContext,
  { content, ...result }: Awaited<ReturnType<typeof heartbeat>>,
  at: string,
) => ({ ...result, ...signSessionToken(context, content, at) });

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
  await runCommand(context, request, streamName('playback', sessionId), playbackDecider, {
    type: 'ReportQoE',
    sessionId,
    accountId,
    profileId,
    ...qoe,
    at: request.at,
  });
  return { sessionId, recorded: true };
};

const sessionParams = z.strictObject({ sessionId: z.string().min(1).max(128) });

export const heartbeatOperation = defineCommand({
  method: 'post',
  path: '/playback/:sessionId/progress',
  summary: 'A heartbeat: records the position, keeps the stream slot and renews the content token',
  description:
    'Send one every 15 to 30 seconds, and before the content token expires. Without them the session expires after ' +
    'two minutes. Each answer carries a fresh content token with the same grant: use it in later URLs ' +
    '(`/c/<new token>/…` in place of `/c/<old token>/…`).',
  access: ['viewer'],
  params: sessionParams,
  body: heartbeatBody,
  response: z.object({
    sessionId: z.string(),
    positionSeconds: z.number(),
    leaseExpiresAt: z
      .string()
      .optional()
      .describe('Until when the stream slot is kept, when the heartbeat renewed it.'),
    token: z.string().describe('A fresh content token for the session, with the same grant.'),
    tokenExpiresAt: z.string(),
  }),
  errors: {
    404: 'No such session on this account.',
    409: 'The session expired or stopped, or the title is no longer available: no token is renewed.',
  },
  handle: ({ context, params, body, caller }, request) =>
    heartbeat(context, request, caller.accountId, params.sessionId, body),
  answer: async (result, { context }, { at }) => heartbeatAnswer(context, result, at),
});

export const reportQoEOperation = defineCommand({
  method: 'post',
  path: '/playback/:sessionId/qoe',
  summary: 'Report the quality of experience: startup time, rebuffering, bitrate, switches',
  access: ['viewer'],
  params: sessionParams,
  body: qoeBody,
  response: z.object({ sessionId: z.string(), recorded: z.literal(true) }),
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
  response: z.object({ sessionId: z.string(), stopped: z.literal(true), positionSeconds: z.number() }),
  handle: ({ context, params, body, caller }, request) =>
    stopPlayback(context, request, caller.accountId, params.sessionId, body),
});
