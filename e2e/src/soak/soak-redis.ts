/*
 * The soak's own Redis: a redis-server on a free port with its files in the soak's DATA_DIR, so
 * the fault injector can kill it and start it again without touching anyone else's Redis. Every
 * write is on disk before Redis answers it (appendfsync always), as a careful operator runs the
 * broker of a job queue, so what a restart loses is the platform's doing, not the broker's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';

export type SoakRedis = {
  url: string;
  port: number;
  /** Kills it (SIGKILL, as a crash does), waits `downMs`, and starts it again on the same files. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
};

const pings = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => done(reply.toString().startsWith('+PONG')));
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const startSoakRedis = async (options: { port: number; dir: string }): Promise<SoakRedis> => {
  mkdirSync(options.dir, { recursive: true });
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(options.port),
        '--dir',
        options.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await pings(options.port)) return;
      if (started.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`redis-server did not start on port ${options.port}`);
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${options.port}`,
    port: options.port,
    restart: async (downMs) => {
      await end('SIGKILL');
      await sleep(downMs);
      await launch();
    },
    stop: () => end('SIGTERM'),
  };
};
