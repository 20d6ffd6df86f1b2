/*
 * What must hold after a soak, each as a check with a verdict and the facts behind it:
 * every acknowledged command is in the log exactly once, every upload ended encoded or failed
 * with a reason, every view equals a clean rebuild from the log, nothing was left half-written
 * on disk, every service answers healthy again, every edge holds every published title, no
 * service died unless killed, and a Redis outage showed in /readyz and in a line of log or two.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { openEventStore, openViewStore, type RecordedEvent } from '@marquee/platform';
import { repositoryRoot } from '../platform';
import { type CommandKind, expectedEventOf, type SentCommand } from './driver';
import type { InjectedFault } from './fault-injector';
import type { SoakPlatform } from './soak-platform';

const run = promisify(execFile);

export type Check = { name: string; ok: boolean; summary: string; problems: string[] };

const check = (name: string, summary: string, problems: string[]): Check => ({
  name,
  ok: problems.length === 0,
  summary,
  problems,
});

/** Every event in the log, read once (the checks below share it). */
export const readLog = async (eventStoreUrl: string): Promise<RecordedEvent[]> => {
  const store = await openEventStore(eventStoreUrl);
  try {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  } finally {
    await store.close();
  }
};

/**
 * Exactly once, counted: each acknowledged command's event (by the request id in its metadata)
 * is in the log once; no command, acknowledged or not, has the same event twice on a stream.
 */
export const checkExactlyOnce = (events: readonly RecordedEvent[], commands: readonly SentCommand[]): Check => {
  const byRequest = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const requestId = event.metadata.requestId;
    if (typeof requestId !== 'string' || !requestId.startsWith('soak-')) continue;
    byRequest.set(requestId, [...(byRequest.get(requestId) ?? []), event]);
  }
  const problems: string[] = [];
  const counts = new Map<CommandKind, { acknowledged: number; inLog: number }>();
  for (const command of commands) {
    const mine = byRequest.get(command.requestId) ?? [];
    const expected = expectedEventOf[command.kind];
    const found = mine.filter((event) => event.type === expected).length;
    const count = counts.get(command.kind) ?? { acknowledged: 0, inLog: 0 };
    if (command.outcome === 'acknowledged') {
      count.acknowledged++;
      count.inLog += found;
      if (found !== 1)
        problems.push(`${command.requestId}: acknowledged, but ${expected} is in the log ${found} time(s)`);
    }
    counts.set(command.kind, count);
    const seen = new Map<string, number>();
    for (const event of mine)
      seen.set(`${event.streamName} ${event.type}`, (seen.get(`${event.streamName} ${event.type}`) ?? 0) + 1);
    for (const [what, times] of seen)
      if (times > 1) problems.push(`${command.requestId} (${command.outcome}): ${what} appended ${times} times`);
  }
  const summary = [...counts]
    .map(([kind, count]) => `${kind} ${count.acknowledged} acknowledged / ${count.inLog} in the log`)
    .join(', ');
  return check('every acknowledged command is in the log exactly once', summary, problems);
};

/** Commands the platform refused or never acknowledged within the client's patience. */
export const checkCommandsAnswered = (commands: readonly SentCommand[]): Check => {
  const unanswered = commands.filter((command) => command.outcome !== 'acknowledged');
  const retried = commands.filter((command) => command.attempts > 1).length;
  return check(
    'every command was acknowledged (retries allowed)',
    `${commands.length} commands, ${retried} needed retries, ${unanswered.length} not acknowledged`,
    unanswered.map((command) =>
      `${command.requestId}: ${command.outcome} after ${command.attempts} attempt(s): ${command.reason ?? ''}`.trim(),
    ),
  );
};

/** Every source uploaded ended in EncodingSucceeded, or EncodingFailed with a reason. */
export const checkUploadsEnded = (events: readonly RecordedEvent[]): Check => {
  const uploads = new Map<string, string>();
  const encodingOf = new Map<string, string[]>();
  const ended = new Map<string, string>();
  for (const event of events) {
    const data = event.data as Record<string, string>;
    if (event.type === 'SourceUploaded') uploads.set(data.uploadId as string, data.titleId as string);
    if (event.type === 'EncodingStarted')
      encodingOf.set(data.uploadId as string, [
        ...(encodingOf.get(data.uploadId as string) ?? []),
        data.encodingId as string,
      ]);
    if (event.type === 'EncodingSucceeded') ended.set(data.encodingId as string, 'encoded');
    if (event.type === 'EncodingFailed')
      ended.set(data.encodingId as string, data.reason ? `failed: ${data.reason}` : 'failed without a reason');
  }
  const problems: string[] = [];
  let encoded = 0;
  let failed = 0;
  for (const [uploadId, titleId] of uploads) {
    const outcomes = (encodingOf.get(uploadId) ?? []).map((encodingId) => ended.get(encodingId));
    if (outcomes.includes('encoded')) encoded++;
    else if (outcomes.some((outcome) => outcome?.startsWith('failed: '))) failed++;
    else
      problems.push(
        `title ${titleId}, upload ${uploadId}: ${outcomes.length === 0 ? 'never started encoding' : `ended as ${outcomes.map((o) => o ?? 'still running').join(', ')}`}`,
      );
  }
  return check(
    'every upload ended encoded or failed with a recorded reason',
    `${uploads.size} uploads: ${encoded} encoded, ${failed} failed with a reason`,
    problems,
  );
};

/** Files a crash or a full disk may leave behind, which a clean platform never keeps. */
export const checkNothingLeaked = async (dataDir: string, events: readonly RecordedEvent[]): Promise<Check> => {
  const uploadIds = new Set(events.filter((e) => e.type === 'SourceUploaded').map((e) => String(e.data.uploadId)));
  const succeeded = new Set(
    events.filter((e) => e.type === 'EncodingSucceeded').map((e) => `${e.data.titleId}/${e.data.encodingId}`),
  );
  const files = (await readdir(dataDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dataDir, join(entry.parentPath, entry.name)));
  const problems: string[] = [];
  for (const file of files) {
    const parts = file.split('/');
    if (parts[0] === 'soak-redis') continue;
    if (file.endsWith('.part')) problems.push(`${file}: a partial download or upload`);
    else if (parts[0] === 'uploads' && !uploadIds.has(basename(file)))
      problems.push(`${file}: an upload no SourceUploaded records`);
    else if (parts[0] === 'origin' && parts[1] === '.partial') problems.push(`${file}: an encode's partial output`);
    else if (parts[0] === 'origin' && parts.length >= 4 && !succeeded.has(`${parts[1]}/${parts[2]}`))
      problems.push(`${file}: a package of an encoding that never succeeded`);
    else if (parts[0] === 'edges' && (parts[2] === 'partial' || parts[2] === 'trash'))
      problems.push(`${file}: an edge's unfinished fill or eviction`);
    else if (parts[0] === 'edges' && parts[2] === 'soak-ballast') problems.push(`${file}: the soak's own ballast`);
  }
  return check('nothing leaked on disk', `${files.length} files under DATA_DIR`, problems);
};

type Health = { status?: string; degraded?: string[]; reason?: string };

/** Every service answers: /readyz "ready" where there is one, /healthz otherwise, and every process is alive. */
export const checkServicesHealthy = async (platform: SoakPlatform): Promise<Check> => {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const service of platform.httpServices) {
    const hasReadyz = service.name === 'command-api' || service.name === 'query-api';
    const url = `${service.url}/${hasReadyz ? 'readyz' : 'healthz'}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json().catch(() => ({}))) as Health;
      const ok = response.ok && (hasReadyz ? body.status === 'ready' : body.status === 'ok');
      seen.push(`${service.name} ${body.status ?? response.status}`);
      if (!ok) problems.push(`${service.name}: ${url} answered ${response.status} ${JSON.stringify(body)}`);
    } catch (error) {
      problems.push(`${service.name}: ${url} did not answer (${error instanceof Error ? error.message : error})`);
    }
  }
  for (const service of ['projections', 'encoder'] as const) {
    const pid = platform.pidOf(service);
    try {
      process.kill(pid as number, 0);
      seen.push(`${service} running`);
    } catch {
      problems.push(`${service}: pid ${pid} is not running`);
    }
  }
  return check('every service is healthy again', seen.join(', '), problems);
};

/** Every published title is held by every edge: fills came back after the faults. */
export const checkEdgesHoldPublished = async (platform: SoakPlatform, published: readonly string[]): Promise<Check> => {
  const problems: string[] = [];
  for (const edge of platform.urls.edges) {
    try {
      const status = (await (await fetch(`${edge}/status`, { signal: AbortSignal.timeout(5000) })).json()) as {
        held?: { titleId: string }[];
        edgeId?: string;
      };
      const held = new Set((status.held ?? []).map((entry) => entry.titleId));
      const missing = published.filter((titleId) => !held.has(titleId));
      if (missing.length > 0) problems.push(`${status.edgeId ?? edge} does not hold ${missing.join(', ')}`);
    } catch (error) {
      problems.push(`${edge}/status: ${error instanceof Error ? error.message : error}`);
    }
  }
  return check(
    'every edge holds every published title',
    `${published.length} published titles, ${platform.urls.edges.length} edges`,
    problems,
  );
};

/** The analysts' CLI (`npm run marquee`), on this platform's stores. */
const marquee = async (args: string[], env: Record<string, string>) => {
  const { stdout } = await run('npm', ['run', '--silent', 'marquee', '--', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  return stdout;
};

type ProjectionStatus = { head: number; projections: { projection: string; checkpoint: number; lag: number }[] };

export const projectionStatus = async (storesEnv: Record<string, string>) =>
  JSON.parse(await marquee(['projections', 'status', '--json'], storesEnv)) as ProjectionStatus;

const snapshotName = 'soak-check';

/**
 * Every live view equals a clean rebuild: with the platform stopped, the CLI replays each
 * projection from the log up to the live view's checkpoint into a snapshot, and every
 * document (body and the position of its last event) is compared.
 */
export const checkViewsMatchRebuild = async (storesEnv: Record<string, string>): Promise<Check> => {
  const status = await projectionStatus(storesEnv);
  const byCheckpoint = new Map<number, string[]>();
  for (const row of status.projections)
    byCheckpoint.set(row.checkpoint, [...(byCheckpoint.get(row.checkpoint) ?? []), row.projection]);
  for (const [checkpoint, names] of byCheckpoint)
    await marquee(['replay', ...names, '--until', String(checkpoint), '--snapshot', snapshotName], storesEnv);

  const views = await openViewStore(storesEnv.VIEW_STORE_URL as string);
  const problems: string[] = [];
  let documents = 0;
  try {
    const everything = async (collection: string) => {
      const docs = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await views.find(collection, {
          sort: { field: 'id', direction: 'asc' },
          limit: 1000,
          ...(cursor && { cursor }),
        });
        for (const doc of page.items) docs.set(doc.id, JSON.stringify({ position: doc.position, body: doc.body }));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return docs;
    };
    for (const row of status.projections) {
      const live = await views.resolveAlias(row.projection);
      const rebuilt = await views.resolveAlias(`${row.projection}@${snapshotName}`);
      if (!live || !rebuilt) {
        problems.push(`${row.projection}: no ${live ? 'rebuilt' : 'live'} collection to compare`);
        continue;
      }
      const [liveDocs, rebuiltDocs] = [await everything(live), await everything(rebuilt)];
      documents += liveDocs.size;
      const differing: string[] = [];
      for (const id of new Set([...liveDocs.keys(), ...rebuiltDocs.keys()])) {
        const [a, b] = [liveDocs.get(id), rebuiltDocs.get(id)];
        if (a !== b)
          differing.push(
            a === undefined ? `${id} missing live` : b === undefined ? `${id} not in the rebuild` : `${id} differs`,
          );
      }
      if (differing.length > 0)
        problems.push(
          `${row.projection} (checkpoint ${row.checkpoint}): ${differing.length} document(s): ${differing.slice(0, 5).join('; ')}` +
            (differing.length > 5 ? ' …' : ''),
        );
    }
  } finally {
    await views.close();
  }
  return check(
    'every view equals a clean rebuild',
    `${status.projections.length} views, ${documents} documents, log head ${status.head}`,
    problems,
  );
};

const serviceOfLine = /^\[([\w-]+)\]/;

/** No service died unless the soak killed it: a death `npm start` had to restart on its own is a fault found. */
export const checkNoUnpromptedDeaths = (
  faults: readonly InjectedFault[],
  restarts: Record<string, number>,
  output: readonly string[],
): Check => {
  const problems: string[] = [];
  for (const [service, restarted] of Object.entries(restarts)) {
    const killed = faults.filter((fault) => fault.kind === 'kill' && fault.service === service).length;
    if (restarted <= killed) continue;
    // What it said last before each death: its last WARN or ERROR line.
    const lastWords = new Set<string>();
    let last: string | undefined;
    for (const line of output) {
      if (serviceOfLine.exec(line)?.[1] !== service) continue;
      if (/^\[[\w-]+\] (ERROR|WARN) /.test(line)) last = line;
      if (/^\[[\w-]+\] (died|exited unexpectedly) /.test(line) && last) lastWords.add(last.slice(0, 300));
    }
    problems.push(
      `${service} died ${restarted - killed} time(s) without being killed${lastWords.size ? `; before dying it said: ${[...lastWords].join(' | ')}` : ''}`,
    );
  }
  return check(
    'no service died unless the soak killed it',
    `restarts: ${Object.entries(restarts)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
    problems,
  );
};

/**
 * A dependency outage degrades visibly: while Redis was down each API's /readyz said
 * "degraded" naming Redis (never a 503), and each service that uses Redis said so in a warning
 * or two, not one per request or heartbeat.
 */
export const checkOutagesVisible = (
  faults: readonly InjectedFault[],
  output: readonly string[],
  /** The services that use Redis: each must say something when it goes. */
  redisUsers: readonly string[],
): Check => {
  const problems: string[] = [];
  const outages = faults.filter((fault) => fault.kind === 'redis-restart' && fault.output);
  for (const [n, outage] of outages.entries()) {
    for (const [service, answers] of Object.entries(outage.readyz ?? {})) {
      if (!answers.some((answer) => /^200 degraded: .*redis/i.test(answer)))
        problems.push(
          `outage ${n + 1}: ${service} /readyz never said degraded naming Redis (it said: ${answers.join(' → ')})`,
        );
      const refused = answers.filter((answer) => !answer.startsWith('200 '));
      if (refused.length > 0) problems.push(`outage ${n + 1}: ${service} /readyz answered ${refused.join(', ')}`);
    }
    const { from, to } = outage.output as { from: number; to: number };
    const complaints = new Map<string, string[]>();
    for (const line of output.slice(from, to)) {
      const service = serviceOfLine.exec(line)?.[1];
      if (!service || !/^\[[\w-]+\] (ERROR|WARN) /.test(line)) continue;
      complaints.set(service, [...(complaints.get(service) ?? []), line]);
    }
    const silent = redisUsers.filter((service) => !complaints.has(service));
    if (silent.length > 0) problems.push(`outage ${n + 1}: ${silent.join(', ')} logged nothing about it`);
    for (const [service, lines] of complaints)
      if (lines.length > 2)
        problems.push(
          `outage ${n + 1}: ${service} logged ${lines.length} warnings/errors, not once per outage; e.g. ${[
            ...new Set(lines.map((line) => line.slice(0, 160))),
          ]
            .slice(0, 2)
            .join(' | ')}`,
        );
  }
  return check(
    'a Redis outage shows in /readyz and is logged once per service',
    `${outages.length} Redis outage(s)`,
    problems,
  );
};
