/*
 * A viewer without Marquee's player: the command API's own calls, as the README's curl
 * walkthrough makes them (sign up, a profile, POST /playback, heartbeats, stop). What a TV app,
 * ffmpeg or any standard player is handed is only what these answers hold.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from './viewer';

export type ApiViewer = { commandApiUrl: string; accountId: string; bearer: string; profileId: string; plan: Plan };

/** One place to play from, as POST /playback ranks them: edges first, the origin last. */
const playbackManifest = z.object({
  edgeId: z.string().nullable(),
  region: z.string().nullable(),
  dash: z.string().url(),
  hls: z.string().url(),
});

const playbackAnswer = z.object({
  sessionId: z.string(),
  titleId: z.string(),
  encodingId: z.string(),
  manifests: z.array(playbackManifest).min(1),
  maxHeight: z.number().nullable(),
  resumeFromSeconds: z.number(),
  token: z.string(),
  tokenExpiresAt: z.string(),
});

export type PlaybackAnswer = z.output<typeof playbackAnswer>;
export type PlaybackManifest = z.output<typeof playbackManifest>;

const heartbeatAnswer = z.object({
  sessionId: z.string(),
  positionSeconds: z.number(),
  token: z.string(),
  tokenExpiresAt: z.string(),
});

export class CommandApiRefused extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${call} answered ${status}: ${body}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * Sign-ups are limited per address (SIGNUP_RATE_LIMIT_PER_MINUTE) and every test here comes from
 * 127.0.0.1: a 429 is waited out as its Retry-After says, as a well-behaved client does.
 */
const send = async (url: string, init: { method: string; bearer?: string; body?: unknown }, patienceMs = 90_000) => {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const response = await fetch(url, {
      method: init.method,
      headers: {
        'content-type': 'application/json',
        ...(init.bearer && { authorization: `Bearer ${init.bearer}` }),
      },
      body: JSON.stringify(init.body ?? {}),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as unknown;
    const retryAfterMs = Number(response.headers.get('retry-after') ?? '5') * 1000;
    if (response.status === 429 && Date.now() + retryAfterMs < deadline) {
      await sleep(retryAfterMs);
      continue;
    }
    throw new CommandApiRefused(`${init.method} ${new URL(url).pathname}`, response.status, text);
  }
};

/** Signs up with a new address and makes one profile. */
export const signUpThroughApi = async (commandApiUrl: string, plan: Plan): Promise<ApiViewer> => {
  const signedUp = z.object({ accountId: z.string(), token: z.string() }).parse(
    await send(`${commandApiUrl}/accounts`, {
      method: 'POST',
      body: { email: `api-viewer-${randomUUID()}@example.com`, password: 'a long enough password', plan },
    }),
  );
  const profile = z.object({ profileId: z.string() }).parse(
    await send(`${commandApiUrl}/accounts/${signedUp.accountId}/profiles`, {
      method: 'POST',
      bearer: signedUp.token,
      body: { name: 'Any player' },
    }),
  );
  return { commandApiUrl, accountId: signedUp.accountId, bearer: signedUp.token, profileId: profile.profileId, plan };
};

export const startPlaybackThroughApi = async (
  viewer: ApiViewer,
  titleId: string,
  options: { region?: string } = {},
): Promise<PlaybackAnswer> =>
  playbackAnswer.parse(
    await send(`${viewer.commandApiUrl}/playback`, {
      method: 'POST',
      bearer: viewer.bearer,
      body: { profileId: viewer.profileId, titleId, ...(options.region && { region: options.region }) },
    }),
  );

/** A heartbeat; its answer carries a fresh content token. */
export const heartbeatThroughApi = async (viewer: ApiViewer, sessionId: string, positionSeconds: number) =>
  heartbeatAnswer.parse(
    await send(`${viewer.commandApiUrl}/playback/${sessionId}/progress`, {
      method: 'POST',
      bearer: viewer.bearer,
      body: { profileId: viewer.profileId, positionSeconds },
    }),
  );

/** Gives the plan's stream slot back. */
export const stopPlaybackThroughApi = async (viewer: ApiViewer, sessionId: string, positionSeconds = 0) => {
  await send(`${viewer.commandApiUrl}/playback/${sessionId}/stop`, {
    method: 'POST',
    bearer: viewer.bearer,
    body: { profileId: viewer.profileId, positionSeconds },
  });
};

/** Each serving place's public URL (scheme, host, port) → its pathway id (an edge id, or `origin`), from /healthz. */
export const pathwayDirectory = async (serverUrls: string[]): Promise<Map<string, string>> => {
  const directory = new Map<string, string>();
  for (const url of serverUrls) {
    const health = z
      .object({ role: z.string(), edgeId: z.string().optional() })
      .parse(await (await fetch(`${url}/healthz`)).json());
    directory.set(new URL(url).origin, health.edgeId ?? 'origin');
  }
  return directory;
};
