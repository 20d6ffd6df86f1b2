import { decideStartPlayback, publishedEncoding, streamName, TitleUnavailable, titleDecider } from '@marquee/domain';
import { aggregateStream, contentPathPrefix, signContentToken } from '@marquee/platform';
import { readView, unlessNotBuilt, watchHistory } from '@marquee/read-models';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId } from '../command-request';
import type { CommandContext } from '../context';
import { onAccountAndSession } from './account-and-session';
import { steer } from './steering';

export const startPlaybackBody = z.strictObject({
  profileId: z.string().min(1).max(128),
  titleId: z.string().min(1).max(128),
  region: z.string().min(1).max(64).optional().describe("The viewer's region, to prefer edges near them."),
});

/** A started session, as the viewer's player needs it to play. */
const startedPlayback = z.object({
  sessionId: z.string(),
  titleId: z.string(),
  encodingId: z.string(),
  manifests: z
    .array(z.object({ edgeId: z.string().nullable(), region: z.string().nullable(), url: z.string() }))
    .describe('Ranked: edges first, the origin last; each URL carries `?token=…`.'),
  resumeFromSeconds: z.number(),
  maxHeight: z.number().nullable().describe("The plan's height cap; null for none."),
  leaseExpiresAt: z.string().nullable(),
  token: z.string().describe('The content token, good on every edge for this title until tokenExpiresAt.'),
  tokenExpiresAt: z.string(),
});

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
 * device won the race), then the session's stream records the start. Answers with the ranked
 * manifest URLs, one content token good on every edge, the resume position and the height cap.
 */
export const startPlayback = async (
  context: CommandContext,
  request: CommandRequest,
  accountId: string,
  body: z.output<typeof startPlaybackBody>,
) => {
  const { eventStore, aggregates } = context;
  const sessionId = newId(request, 'session');
  const { state: title } = await aggregateStream(
    eventStore,
    streamName('title', body.titleId),
    titleDecider,
    aggregates,
  );
  const encoding = publishedEncoding(title);
  if (!encoding) throw new TitleUnavailable(body.titleId);
  const [targets, resumeFromSeconds] = await Promise.all([
    steer(context, { titleId: body.titleId, encodingId: encoding.encodingId }, body.region ?? null),
    resumePosition(context, body.profileId, body.titleId),
  ]);
  const decision = await onAccountAndSession(context, request, { accountId, sessionId }, ({ account, session }) =>
    decideStartPlayback(
      {
        sessionId,
        profileId: body.profileId,
        edges: targets.flatMap((t) => (t.edgeId ? [t.edgeId] : [])),
        resumeFromSeconds,
        at: request.at,
      },
      { account, title, session },
    ),
  );
  const started = decision.playback[0];
  const lease = decision.account[0];
  return {
    sessionId,
    titleId: body.titleId,
    encodingId: encoding.encodingId,
    manifests: targets.map((target) => ({
      edgeId: target.edgeId,
      region: target.region,
      url: `${target.url.replace(/\/$/, '')}/content/${encoding.manifestPath}`,
    })),
    resumeFromSeconds: started?.type === 'PlaybackStarted' ? started.data.resumeFromSeconds : resumeFromSeconds,
    maxHeight: started?.type === 'PlaybackStarted' ? started.data.maxHeight : null,
    leaseExpiresAt: lease?.type === 'PlaybackLeaseGranted' ? lease.data.expiresAt : null,
  };
};

/**
 * The answer: the session with its content token, signed at the request's time, so a replay
 * (which keeps no token) signs the very same one again.
 */
export const withContentToken = (
  context: CommandContext,
  started: Awaited<ReturnType<typeof startPlayback>>,
  at: string,
) => {
  const { token, expiresAt } = signContentToken(
    context.contentTokens.secret,
    contentPathPrefix(started.titleId, started.encodingId),
    { ttlSeconds: context.contentTokens.ttlSeconds, now: new Date(at) },
  );
  return {
    ...started,
    manifests: started.manifests.map((manifest) => ({ ...manifest, url: `${manifest.url}?token=${token}` })),
    token,
    tokenExpiresAt: expiresAt.toISOString(),
  };
};

export const startPlaybackOperation = defineCommand({
  method: 'post',
  path: '/playback',
  summary: 'Start playback: a stream slot, the ranked manifest URLs with a content token, and where to resume',
  access: ['viewer'],
  body: startPlaybackBody,
  successStatus: 201,
  response: startedPlayback,
  errors: {
    404: 'The profile is not on this account.',
    409: "The plan's streams are all in use, the subscription is not active, or the title is no longer available.",
  },
  handle: ({ context, body, caller }, request) => startPlayback(context, request, caller.accountId, body),
  answer: async (started, { context }, { at }) => withContentToken(context, started, at),
});
