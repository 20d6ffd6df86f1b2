import {
  decideStartPlayback,
  publishedEncoding,
  seriesDecider,
  streamName,
  TitleUnavailable,
  titleDecider,
} from '@marquee/domain';
import { aggregateStream, contentUrl } from '@marquee/platform';
import { readView, steerAmongHolders, unlessNotBuilt, watchHistory } from '@marquee/read-models';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId } from '../command-request';
import type { CommandContext } from '../context';
import { onAccountAndSession } from './account-and-session';
import { type SessionContent, signSessionToken } from './session-token';

export const startPlaybackBody = z.strictObject({
  profileId: z.string().min(1).max(128),
  titleId: z.string().min(1).max(128),
  region: z.string().min(1).max(64).optional().describe("The viewer's region, to prefer edges near them."),
});

/** A started session, as the viewer's player (or any standard player) needs it to play. */
const startedPlayback = z.object({
  sessionId: z.string(),
  titleId: z.string(),
  encodingId: z.string(),
  manifests: z
    .array(
      z.object({
        edgeId: z.string().nullable().describe('null for the origin.'),
        region: z.string().nullable(),
        dash: z.string().describe('The DASH manifest (`…/manifest.mpd`), the content token in its path.'),
        hls: z.string().describe('The HLS master playlist (`…/master.m3u8`), the content token in its path.'),
      }),
    )
    .describe(
      'Ranked: edges first, the origin last. Each URL is `<server>/c/<token>/<titleId>/<encodingId>/<file>`, ' +
        'so any DASH or HLS player can play it as it is.',
    ),
  resumeFromSeconds: z.number(),
  maxHeight: z.number().nullable().describe("The tallest rung this session may fetch: the plan's height cap."),
  leaseExpiresAt: z.string().nullable(),
  token: z
    .string()
    .describe('The content token, in the path of every URL above; heartbeats answer a fresh one before it expires.'),
  tokenExpiresAt: z.string(),
});

/**
 * A title's state now, and for an episode its series' (an episode is held to its series too:
 * published, and rated at least as the series is); null for a film.
 */
export const titleAndSeries = async (context: CommandContext, titleId: string) => {
  const { eventStore, aggregates } = context;
  const { state: title } = await aggregateStream(eventStore, streamName('title', titleId), titleDecider, aggregates);
  const series =
    title.status === 'created' && title.episodeOf
      ? (await aggregateStream(eventStore, streamName('series', title.episodeOf.seriesId), seriesDecider, aggregates))
          .state
      : null;
  return { title, series };
};

/**
 * Where the viewer left off: the watch history's position, or the start when finished or never
 * watched, or when the watch history view has not been built yet (a start is better than a 503).
 */
const resumePosition = async (context: CommandContext, profileId: string, titleId: string) => {
  const entry = await readView(context.viewStore, watchHistory)
    .get(`${profileId}:${titleId}`)
    .catch(unlessNotBuilt(undefined));
  return entry && !entry.completed ? entry.positionSeconds : 0;
};

/**
 * Starts a session: the account grants a lease (its stream is the boundary of the plan's
 * stream limit, so it is appended first, with its expected revision, and re-decided if another
 * device won the race), then the session's stream records the start. The result is what a
 * retry is answered from, so it holds where to play and the grant, never the token itself.
 */
export const startPlayback = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  body: z.output<typeof startPlaybackBody>,
) => {
  const sessionId = newId(request, 'session');
  const { title, series } = await titleAndSeries(context, body.titleId);
  const encoding = publishedEncoding(title);
  if (!encoding) throw new TitleUnavailable(body.titleId);
  const region = body.region ?? null;
  const [{ targets, candidates }, resumeFromSeconds] = await Promise.all([
    steerAmongHolders(
      context,
      { titleId: body.titleId, encodingId: encoding.encodingId },
      { viewerRegion: region, originUrl: context.originUrl },
    ),
    resumePosition(context, body.profileId, body.titleId),
  ]);
  const pathways = targets.flatMap((t) => (t.edgeId ? [t.edgeId] : []));
  const decision = await onAccountAndSession(context, request, { accountId, sessionId }, ({ account, session }) =>
    decideStartPlayback(
      {
        sessionId,
        profileId: body.profileId,
        edges: pathways,
        holders: candidates.map(({ edgeId, region, healthy }) => ({ edgeId, region, healthy })),
        region,
        resumeFromSeconds,
        at: request.at,
      },
      { account, title, series, session },
    ),
  );
  const started = decision.playback[0];
  const lease = decision.account[0];
  // The domain caps the height by the plan, but never below the ladder's lowest rung.
  const maxHeight = started?.type === 'PlaybackStarted' ? started.data.maxHeight : null;
  const content: SessionContent = {
    titleId: body.titleId,
    encodingId: encoding.encodingId,
    grant: { sessionId, maxHeight, region, pathways },
  };
  return {
    sessionId,
    content,
    servers: targets.map(({ edgeId, region, url }) => ({ edgeId, region, url })),
    resumeFromSeconds: started?.type === 'PlaybackStarted' ? started.data.resumeFromSeconds : resumeFromSeconds,
    maxHeight,
    leaseExpiresAt: lease?.type === 'PlaybackLeaseGranted' ? lease.data.expiresAt : null,
  };
};

/** The answer: the session with its content token, signed at the request's time, in every URL. */
export const startedAnswer = (
  context: CommandContext,
  started: Awaited<ReturnType<typeof startPlayback>>,
  at: string,
): z.output<typeof startedPlayback> => {
  const { content } = started;
  const { token, tokenExpiresAt } = signSessionToken(context, content, at);
  const url = (server: string, file: string) => contentUrl(server, token, content.titleId, content.encodingId, file);
  return {
    sessionId: started.sessionId,
    titleId: content.titleId,
    encodingId: content.encodingId,
    manifests: started.servers.map((server) => ({
      edgeId: server.edgeId,
      region: server.region,
      dash: url(server.url, 'manifest.mpd'),
      hls: url(server.url, 'master.m3u8'),
    })),
    resumeFromSeconds: started.resumeFromSeconds,
    maxHeight: started.maxHeight,
    leaseExpiresAt: started.leaseExpiresAt,
    token,
    tokenExpiresAt,
  };
};

export const startPlaybackOperation = defineCommand({
  method: 'post',
  path: '/playback',
  summary: 'Start playback: a stream slot, the ranked DASH and HLS URLs with a content token, and where to resume',
  access: ['viewer'],
  body: startPlaybackBody,
  successStatus: 201,
  response: startedPlayback,
  errors: {
    404: 'The profile is not on this account.',
    409:
      "The plan's streams are all in use, the subscription is not active, the title (or an episode's series) is " +
      "not available, or the title is rated above the profile's maturity level (AboveMaturityLevel).",
  },
  handle: ({ context, body, caller }, request) => startPlayback(context, request, caller.accountId, body),
  answer: async (started, { context }, { at }) => startedAnswer(context, started, at),
});
