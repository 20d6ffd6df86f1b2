import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { streamName, type TitleEvent } from '@marquee/domain';
import { type EventStore, toEventsToAppend, writePackageIndex } from '@marquee/platform';

/*
 * What the edge tests share: packages written into an origin folder as the encoder lays them out
 * (random bytes stand in for video: the edge only moves and verifies files), edge-node processes
 * started as `npm start` starts them, and TitlePublished / TitleUnpublished appended to the log.
 */

export const contentTokenSecret = 'edge-test-content-secret-0123456789abcdef';
const mainScript = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');

/** The files of a small DASH-shaped package, with sizes in bytes. */
export const packageLayout = (segmentBytes: number, segments = 4) => [
  { path: 'manifest.mpd', bytes: 2_000 },
  { path: 'poster.jpg', bytes: 20_000 },
  ...Array.from({ length: segments }, (_, i) => ({ path: `video/360p/seg-${i + 1}.m4s`, bytes: segmentBytes })),
  ...Array.from({ length: segments }, (_, i) => ({ path: `video/720p/seg-${i + 1}.m4s`, bytes: segmentBytes })),
];

export const writePackage = async (
  originDir: string,
  titleId: string,
  encodingId: string,
  files: { path: string; bytes: number }[],
) => {
  const dir = join(originDir, titleId, encodingId);
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), randomBytes(file.bytes));
  }
  const { index } = await writePackageIndex(dir, {
    titleId,
    encodingId,
    ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
    durationSeconds: 16,
    encodeSeconds: 1,
  });
  return { dir, index };
};

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export type EdgeProcess = {
  url: string;
  child: ChildProcess;
  output: string[];
  /** Waits until a line of output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
  kill(): Promise<void>;
};

export const startEdgeProcess = async (env: Record<string, string>): Promise<EdgeProcess> => {
  const port = env.EDGE_PORT ? Number(env.EDGE_PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: {
      ...process.env,
      CONTENT_TOKEN_SECRET: contentTokenSecret,
      HEARTBEAT_TTL_SECONDS: '2',
      LOG_LEVEL: 'info',
      ...env,
      EDGE_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr])
    if (stream)
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        for (const listener of listeners) listener(line);
      });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitForOutput = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const seen = output.find((line) => pattern.test(line));
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        listeners.delete(listen);
        reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`));
      }, timeoutMs);
      const listen = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        listeners.delete(listen);
        resolve(line);
      };
      listeners.add(listen);
      child.once('exit', (code, signal) => {
        if (!listeners.has(listen)) return;
        clearTimeout(timer);
        listeners.delete(listen);
        reject(new Error(`the edge exited (${signal ?? code}) before ${pattern}:\n${output.slice(-20).join('\n')}`));
      });
    });
  await waitForOutput(/serving http/);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    waitForOutput,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
};

export const appendTitleEvent = async (store: EventStore, titleId: string, event: TitleEvent) => {
  const stream = streamName('title', titleId);
  await store.appendToStream(stream, toEventsToAppend(stream, [event]));
};

export const publish = (store: EventStore, titleId: string, encodingId: string) =>
  appendTitleEvent(store, titleId, {
    type: 'TitlePublished',
    data: { titleId, encodingId, manifestPath: `${titleId}/${encodingId}/manifest.mpd`, at: new Date().toISOString() },
  });

export const unpublish = (store: EventStore, titleId: string, encodingId: string) =>
  appendTitleEvent(store, titleId, {
    type: 'TitleUnpublished',
    data: { titleId, encodingId, at: new Date().toISOString() },
  });

/** Polls until `check` returns something, or fails with what it last saw. */
export const eventually = async <T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition') => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export const edgeStatus = async (edge: EdgeProcess) => {
  const response = await fetch(`${edge.url}/status`);
  // biome-ignore lint/suspicious/noExplicitAny: tests assert the fields they read.
  return (await response.json()) as any;
};
