import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/*
 * An edge node as a child process, started the way `npm start` starts one: for tests and
 * benchmarks that need the real program (kill it, restart it, measure it).
 */

const mainScript = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');

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

export const startEdgeNode = async (env: Record<string, string>): Promise<EdgeProcess> => {
  const port = env.EDGE_PORT ? Number(env.EDGE_PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: {
      ...process.env,
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
  // Ready when it answers, whatever its log level.
  const deadline = AbortSignal.timeout(20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the edge node exited at start:\n${output.slice(-20).join('\n')}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (deadline.aborted) throw new Error(`the edge node did not answer within 20 s:\n${output.slice(-20).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
