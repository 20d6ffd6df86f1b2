// bench/commands: playback heartbeats, the hottest command, through the command API on the
// embedded store, against an express hello-world POST, both under the same autocannon load in
// one run; then a count proving that every 2xx wrote exactly one event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamName, titleDecider } from '@marquee/domain';
import { handleCommand, openEventStore } from '@marquee/platform';
import autocannon from 'autocannon';
import { result } from './report';
import { startServer } from './servers/server-process';

const durationSeconds = 10;
const connections = 32;
const accounts = 16;
const contentKey = 'bench-content-key-0123456789';

type Session = { sessionId: string; profileId: string; token: string; position: number };

const json = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
};

/** Premium viewers (4 streams each) watching one long title: `accounts × 4` live sessions. */
const seed = async (base: string, eventsUrl: string): Promise<Session[]> => {
  const key = { 'x-api-key': contentKey };
  const { titleId } = (await json(
    `${base}/titles`,
    { name: 'Long', genres: ['drama'], year: 2020, maturityRating: 'all' },
    key,
  )) as {
    titleId: string;
  };
  // The encoding farm is not part of this benchmark: its result is recorded as it would record it.
  const store = await openEventStore(eventsUrl);
  const at = new Date().toISOString();
  const sha = 'f'.repeat(64);
  await handleCommand(store, streamName('title', titleId), titleDecider, [
    {
      type: 'RecordSourceUpload',
      uploadId: 'u',
      path: '/u',
      sizeBytes: 1,
      sha256: sha,
      probe: {
        durationSeconds: 36_000,
        width: 1920,
        height: 1080,
        frameRate: 25,
        videoCodec: 'h264',
        audioCodec: 'aac',
      },
      at,
    },
    { type: 'RecordEncodingStarted', encodingId: 'e', uploadId: 'u', at },
    {
      type: 'RecordEncodingSucceeded',
      encodingId: 'e',
      ladder: [{ width: 1920, height: 1080, videoBitrateKbps: 4500 }],
      manifestPath: `${titleId}/e/manifest.mpd`,
      packageIndex: { files: 1, bytes: 1, sha256: sha },
      durationSeconds: 36_000,
      encodeSeconds: 1,
      at,
    },
  ]);
  await store.close();
  await json(`${base}/titles/${titleId}/publish`, {}, key);
  const sessions: Session[] = [];
  for (let n = 0; n < accounts; n++) {
    const { accountId, token } = (await json(`${base}/accounts`, {
      email: `bench-${n}@example.com`,
      password: 'a long enough password',
      plan: 'premium',
    })) as { accountId: string; token: string };
    const auth = { authorization: `Bearer ${token}` };
    const { profileId } = (await json(`${base}/accounts/${accountId}/profiles`, { name: 'Bench' }, auth)) as {
      profileId: string;
    };
    for (let s = 0; s < 4; s++) {
      const { sessionId } = (await json(`${base}/playback`, { profileId, titleId }, auth)) as { sessionId: string };
      sessions.push({ sessionId, profileId, token, position: 0 });
    }
  }
  return sessions;
};

/** Every request a heartbeat of the next session in turn, at its next position. */
const heartbeats = (sessions: Session[]) => {
  let turn = 0;
  return [
    {
      method: 'POST' as const,
      setupRequest: (request: autocannon.Request) => {
        const session = sessions[turn++ % sessions.length] as Session;
        session.position += 1;
        return {
          ...request,
          path: `/playback/${session.sessionId}/progress`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
          body: JSON.stringify({ profileId: session.profileId, positionSeconds: session.position }),
        };
      },
    },
  ];
};

const load = async (port: number, requests: autocannon.Request[]) => {
  const run = await autocannon({ url: `http://127.0.0.1:${port}`, connections, duration: durationSeconds, requests });
  return {
    requestsPerSecond: run.requests.average,
    p99Ms: run.latency.p99,
    // On the result, though not in its type: every request sent, answered in the window or not.
    sent: (run.requests as { sent?: number }).sent ?? run.requests.total,
    ok: run['2xx'],
    other: run.non2xx + run.errors,
    statusCodes: JSON.stringify((run as unknown as { statusCodeStats?: unknown }).statusCodeStats ?? {}),
  };
};

const countProgressed = async (eventsUrl: string, after: number) => {
  const store = await openEventStore(eventsUrl);
  let count = 0;
  const perSession = new Map<string, number[]>();
  for await (const event of store.readAll({ from: after, filter: { eventTypes: ['PlaybackProgressed'] } })) {
    count++;
    const positions = perSession.get(event.streamName) ?? [];
    positions.push(event.data.positionSeconds as number);
    perSession.set(event.streamName, positions);
  }
  await store.close();
  // Each session's heartbeats carried positions 1, 2, 3…: a repeat is a duplicate, a hole a loss.
  let duplicates = 0;
  let gaps = 0;
  for (const positions of perSession.values()) {
    duplicates += positions.length - new Set(positions).size;
    gaps += Math.max(...positions) - new Set(positions).size;
  }
  return { count, duplicates, gaps };
};

export const commandsBenchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-commands-'));
  const urls = {
    EVENT_STORE_URL: `sqlite:${join(dir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dir, 'views.db')}`,
  };

  const hello = await startServer('hello-world-post', {});
  const helloSessions = Array.from({ length: 64 }, (_, i) => ({
    sessionId: `s${i}`,
    profileId: 'p',
    token: 't',
    position: 0,
  }));
  await load(hello.port, heartbeats(helloSessions));
  const baseline = await load(hello.port, heartbeats(helloSessions));
  await hello.stop();

  const api = await startServer('command-api', {
    ...urls,
    TOKEN_SECRET: 'bench-token-secret-'.padEnd(40, 'x'),
    API_KEYS: `bench:content:${contentKey}`,
  });
  const sessions = await seed(`http://127.0.0.1:${api.port}`, urls.EVENT_STORE_URL);
  const store = await openEventStore(urls.EVENT_STORE_URL);
  const before = await store.headPosition();
  await store.close();
  const project = await load(api.port, heartbeats(sessions));
  await api.stop();
  const written = await countProgressed(urls.EVENT_STORE_URL, before);
  rmSync(dir, { recursive: true, force: true });

  return result(
    'commands',
    [
      {
        what: `playback heartbeats, ${sessions.length} sessions`,
        unit: 'requests/s',
        project: project.requestsPerSecond,
        baseline: baseline.requestsPerSecond,
        baselineName: 'express hello-world POST (JSON body)',
        target: 0.5,
      },
    ],
    {
      connections,
      durationSeconds,
      heartbeatP99Ms: project.p99Ms,
      heartbeatP99TargetMs: 30,
      heartbeatP99TargetMet: project.p99Ms < 30 ? 'yes' : 'no',
      helloWorldP99Ms: baseline.p99Ms,
      // autocannon counts the answers within its window; the requests still in flight at its
      // end are answered after it, so events are compared with the requests sent.
      requestsSent: project.sent,
      answered2xxInWindow: project.ok,
      answeredOther: project.other,
      statusCodes: project.statusCodes,
      progressEventsWritten: written.count,
      lostOrExtraEvents: project.sent - project.other - written.count,
      duplicatedEvents: written.duplicates,
      missingPositions: written.gaps,
    },
  );
};
