/*
 * The load: viewers (sign up, a profile, play, heartbeats, stop) and a content team (create a
 * title, upload its source, publish it once encoded) at a steady rate, through the command API
 * as any client calls it. Every command carries an Idempotency-Key and the same X-Request-Id on
 * every retry, and the events it appends carry that request id, so the final checks can count
 * each acknowledged command in the log. A command is retried, as a careful client does, while
 * the platform cannot answer (no connection, 5xx, 429, 503, the key still in use) until its
 * deadline; only a 2xx acknowledges it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

export type CommandKind =
  | 'sign-up'
  | 'create-profile'
  | 'create-title'
  | 'upload-source'
  | 'publish'
  | 'start-playback'
  | 'heartbeat'
  | 'stop-playback';

/** The event an acknowledged command of each kind must have appended, exactly once. */
export const expectedEventOf: Record<CommandKind, string> = {
  'sign-up': 'AccountRegistered',
  'create-profile': 'ProfileCreated',
  'create-title': 'TitleCreated',
  'upload-source': 'SourceUploaded',
  publish: 'TitlePublished',
  'start-playback': 'PlaybackStarted',
  heartbeat: 'PlaybackProgressed',
  'stop-playback': 'PlaybackStopped',
};

export type SentCommand = {
  requestId: string;
  kind: CommandKind;
  attempts: number;
  outcome: 'acknowledged' | 'refused' | 'gave-up';
  status?: number;
  /** Why it was refused, or the last failure before giving up. */
  reason?: string;
};

export type DriverStats = {
  commands: SentCommand[];
  viewersStarted: number;
  viewersFinished: number;
  titlesCreated: string[];
  titlesPublished: string[];
  /** Manifest fetches from where POST /playback sent the viewer: served, and failed (with why). */
  manifestsServed: number;
  manifestFailures: string[];
  /** Content flows (upload → encoded → published) that did not finish, with why. */
  contentProblems: string[];
};

export type DriverOptions = {
  commandApiUrl: string;
  queryApiUrl: string;
  contentKey: string;
  /** The clip every upload sends. */
  clip: Buffer;
  runId: string;
  /** A new viewer this often. */
  viewerEveryMs: number;
  /** A new title this often. */
  uploadEveryMs: number;
  /** How long a command is retried before it counts as not acknowledged. */
  commandDeadlineMs: number;
  random: () => number;
  log: (line: string) => void;
};

export type Driver = {
  stats: DriverStats;
  /** Stops starting new viewers and titles, and waits for those under way to finish. */
  stop(timeoutMs: number): Promise<void>;
};

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`answered ${status}: ${body.slice(0, 300)}`);
  }
}

const playbackAnswer = z.object({
  sessionId: z.string(),
  manifests: z.array(z.object({ dash: z.string() })).min(1),
});

export const startDriver = (options: DriverOptions): Driver => {
  const stats: DriverStats = {
    commands: [],
    viewersStarted: 0,
    viewersFinished: 0,
    titlesCreated: [],
    titlesPublished: [],
    manifestsServed: 0,
    manifestFailures: [],
    contentProblems: [],
  };
  let sequence = 0;
  let stopping = false;
  const underWay = new Set<Promise<void>>();

  /** One command, retried with the same key and request id until acknowledged, refused, or out of time. */
  const command = async (
    kind: CommandKind,
    path: string,
    init: { method: string; bearer?: string; content?: boolean; json?: unknown; body?: Buffer; contentType?: string },
  ): Promise<unknown> => {
    const requestId = `soak-${options.runId}-${++sequence}-${kind}`;
    const sent: SentCommand = { requestId, kind, attempts: 0, outcome: 'gave-up' };
    stats.commands.push(sent);
    const deadline = Date.now() + options.commandDeadlineMs;
    for (;;) {
      sent.attempts++;
      let waitMs = 500;
      try {
        const response = await fetch(`${options.commandApiUrl}${path}`, {
          method: init.method,
          headers: {
            'idempotency-key': requestId,
            'x-request-id': requestId,
            'content-type': init.contentType ?? 'application/json',
            ...(init.bearer && { authorization: `Bearer ${init.bearer}` }),
            ...(init.content && { 'x-api-key': options.contentKey }),
          },
          body: init.body ? new Uint8Array(init.body) : JSON.stringify(init.json ?? {}),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        sent.status = response.status;
        if (response.ok) {
          sent.outcome = 'acknowledged';
          return text ? JSON.parse(text) : {};
        }
        // Errors are `{ error, message, details }`: `error` is the code.
        const code = /"error"\s*:\s*"(\w+)"/.exec(text)?.[1];
        const passing =
          response.status >= 500 ||
          response.status === 429 ||
          (response.status === 409 && code === 'IdempotencyKeyInUse');
        if (!passing) {
          sent.outcome = 'refused';
          sent.reason = text.slice(0, 500);
          throw new Refused(response.status, text);
        }
        sent.reason = `${response.status} ${text.slice(0, 200)}`;
        waitMs = Number(response.headers.get('retry-after') ?? '0') * 1000 || waitMs;
      } catch (error) {
        if (error instanceof Refused) throw error;
        sent.reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (Date.now() + waitMs > deadline) throw new Error(`${kind} ${path} not acknowledged: ${sent.reason}`);
      await sleep(waitMs);
    }
  };

  /** Sent with a content key, outside the ledger: the query API's reads. */
  const read = async (path: string) => {
    const response = await fetch(`${options.queryApiUrl}${path}`, {
      headers: { 'x-api-key': options.contentKey },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };

  const published: string[] = stats.titlesPublished;

  const contentFlow = async (n: number) => {
    const name = `Soak ${options.runId} #${n}`;
    const created = z.object({ titleId: z.string() }).parse(
      await command('create-title', '/titles', {
        method: 'POST',
        content: true,
        json: {
          name,
          synopsis: 'A clip uploaded by the soak.',
          genres: ['documentary'],
          year: 2026,
          maturityRating: 'all',
        },
      }),
    );
    stats.titlesCreated.push(created.titleId);
    await command('upload-source', `/titles/${created.titleId}/source`, {
      method: 'PUT',
      content: true,
      body: options.clip,
      contentType: 'video/mp4',
    });
    // Encoded, or failed with a reason, within a few minutes even through the faults.
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const status = await read(`/titles/${created.titleId}`).then(
        (title) => title.status as string,
        () => undefined,
      );
      if (status === 'encoded') break;
      if (status === 'encoding-failed') {
        stats.contentProblems.push(`${name} (${created.titleId}): encoding failed`);
        return;
      }
      if (Date.now() > deadline) {
        stats.contentProblems.push(`${name} (${created.titleId}): not encoded after 5 minutes (last: ${status})`);
        return;
      }
      await sleep(1000);
    }
    await command('publish', `/titles/${created.titleId}/publish`, { method: 'POST', content: true, json: {} });
    published.push(created.titleId);
  };

  const fetchManifest = async (url: string) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (response.ok) stats.manifestsServed++;
      else stats.manifestFailures.push(`${new URL(url).host}: ${response.status}`);
    } catch (error) {
      stats.manifestFailures.push(`${new URL(url).host}: ${error instanceof Error ? error.message : error}`);
    }
  };

  const viewerFlow = async (n: number) => {
    stats.viewersStarted++;
    const signedUp = z.object({ accountId: z.string(), token: z.string() }).parse(
      await command('sign-up', '/accounts', {
        method: 'POST',
        json: { email: `soak-${options.runId}-${n}@example.com`, password: 'a long enough password', plan: 'basic' },
      }),
    );
    const bearer = signedUp.token;
    const profile = z.object({ profileId: z.string() }).parse(
      await command('create-profile', `/accounts/${signedUp.accountId}/profiles`, {
        method: 'POST',
        bearer,
        json: { name: `Viewer ${n}` },
      }),
    );
    const titleId = published[Math.floor(options.random() * published.length)];
    if (titleId !== undefined) {
      const playback = playbackAnswer.parse(
        await command('start-playback', '/playback', {
          method: 'POST',
          bearer,
          json: { profileId: profile.profileId, titleId, region: options.random() < 0.5 ? 'eu' : 'us' },
        }),
      );
      await fetchManifest(playback.manifests[0]?.dash as string);
      let position = 0;
      for (let beat = 0; beat < 3; beat++) {
        await sleep(1500);
        position += 1.5;
        await command('heartbeat', `/playback/${playback.sessionId}/progress`, {
          method: 'POST',
          bearer,
          json: { profileId: profile.profileId, positionSeconds: position },
        });
      }
      await command('stop-playback', `/playback/${playback.sessionId}/stop`, {
        method: 'POST',
        bearer,
        json: { profileId: profile.profileId, positionSeconds: position },
      });
    }
    stats.viewersFinished++;
  };

  const track = (what: string, flow: Promise<void>) => {
    const tracked = flow.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      options.log(`${what}: ${reason}`);
      if (what.startsWith('title')) stats.contentProblems.push(`${what}: ${reason}`);
    });
    underWay.add(tracked);
    void tracked.finally(() => underWay.delete(tracked));
  };

  const every = (ms: number, start: (n: number) => void) => {
    let n = 0;
    start(++n);
    const timer = setInterval(() => {
      if (!stopping) start(++n);
    }, ms);
    return timer;
  };
  const timers = [
    every(options.uploadEveryMs, (n) => track(`title ${n}`, contentFlow(n))),
    every(options.viewerEveryMs, (n) => track(`viewer ${n}`, viewerFlow(n))),
  ];

  return {
    stats,
    stop: async (timeoutMs) => {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.race([Promise.all([...underWay]), sleep(timeoutMs)]);
      if (underWay.size > 0)
        options.log(`${underWay.size} viewer(s) or title(s) still under way after ${timeoutMs} ms`);
    },
  };
};
