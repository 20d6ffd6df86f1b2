/*
 * A Redis server of a test's own, on a free port, that the test may pause or stop to see how a
 * service degrades, without touching the Redis every engineer's tests share.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { spawnProcess } from './spawned-process';

const freePort = async () => {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
};

export type OwnRedis = {
  url: string;
  /** Stops answering, with its connections left open (SIGSTOP): calls hang rather than fail. */
  pause(): void;
  resume(): void;
  /** Stops it: connections close and new ones are refused. */
  stop(): Promise<void>;
};

export const startOwnRedis = async (): Promise<OwnRedis> => {
  const port = await freePort();
  const server = spawnProcess('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  // A test that times out never reaches its own stop: the server goes with the test process.
  const orphaned = () => server.child.kill('SIGKILL');
  process.once('exit', orphaned);
  await server.waitForLine('Ready to accept connections', 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    pause: () => void server.child.kill('SIGSTOP'),
    resume: () => void server.child.kill('SIGCONT'),
    stop: async () => {
      process.off('exit', orphaned);
      server.child.kill('SIGCONT');
      await server.stop();
    },
  };
};
