// `tsx scripts/with-machine.ts <start|test|bench> -- <command…>`: sets the machine up for that
// purpose (system tools, Redis), runs the command, then stops the Redis it started, if any.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMachine } from './setup/prepare-machine';
import type { Purpose } from './setup/system-tools';

const [purpose, separator, command, ...args] = process.argv.slice(2);
if (!['start', 'test', 'bench'].includes(purpose ?? '') || separator !== '--' || !command) {
  console.error('usage: tsx scripts/with-machine.ts <start|test|bench> -- <command> [args…]');
  process.exit(2);
}

const redisDir = mkdtempSync(join(tmpdir(), 'marquee-redis-'));
const redis = await prepareMachine(purpose as Purpose, { dataDir: redisDir });
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, REDIS_URL: redis.url } });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => {
  child.once('error', (error) => {
    console.error(`${command}: ${error.message}`);
    resolve(127);
  });
  child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});
await redis.stop();
rmSync(redisDir, { recursive: true, force: true });
process.exit(code);
