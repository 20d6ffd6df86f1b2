/*
 * A Redis server of a test's own, on a free port, that the test may pause, stop or restart to
 * see how a service degrades, without touching the Redis every engineer's tests share.
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { type SpawnedProcess, spawnProcess } from './spawned-process';

/** A port nothing listens on now (the system's pick). */
export const freePort = async () => {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
};

export type OwnRedis = {
  url: string;
  port: number;
  /** Stops answering, with its connections left open (SIGSTOP): calls hang rather than fail. */
  pause(): void;
  resume(): void;
  /** Kills it (SIGKILL, as a crash does), waits `downMs`, and starts it again on the same files. */
  restart(downMs: number): Promise<void>;
  /** Stops it: connections close and new ones are refused. */
  stop(): Promise<void>;
};

export const startOwnRedis = async (
  options: {
    port?: number;
    /**
     * Keep its data here, every write on disk before Redis answers it (appendfsync always), as a
     * careful operator runs a job queue's broker: what a restart loses is then not the broker's doing.
     */
    dir?: string;
  } = {},
): Promise<OwnRedis> => {
  const port = options.port ?? (await freePort());
  const persistence = options.dir
    ? ['--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  let server: SpawnedProcess | undefined;
  // A test that times out never reaches its own stop: the server goes with the test process.
  const orphaned = () => server?.child.kill('SIGKILL');
  const launch = async () => {
    server = spawnProcess('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
    ]);
    await server.waitForLine('Ready to accept connections', 10_000);
  };
  process.once('exit', orphaned);
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => void server?.child.kill('SIGSTOP'),
    resume: () => void server?.child.kill('SIGCONT'),
    restart: async (downMs) => {
      server?.child.kill('SIGKILL');
      await server?.exited;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    stop: async () => {
      process.off('exit', orphaned);
      server?.child.kill('SIGCONT');
      await server?.stop();
    },
  };
};
