import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnTsx } from '@marquee/platform/testing';

/*
 * An edge node as a child process, started the way `npm start` starts one: for tests and
 * benchmarks that need the real program (kill it, restart it, measure it).
 */

const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

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
  const edge = spawnTsx(mainScript, [], {
    name: 'the edge node',
    env: { LOG_LEVEL: 'info', ...env, EDGE_PORT: String(port) },
  });
  const { child, lines: output } = edge;
  // Ready when it answers, whatever its log level.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the edge node exited at start:\n${output.slice(-20).join('\n')}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline)
      throw new Error(`the edge node did not answer within 20 s:\n${output.slice(-20).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    waitForOutput: (pattern, timeoutMs = 20_000) => edge.waitForLine(pattern, timeoutMs),
    stop: async () => {
      await edge.stop('SIGTERM');
    },
    kill: async () => {
      await edge.stop('SIGKILL');
    },
  };
};
