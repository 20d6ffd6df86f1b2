import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import {
  type Machine,
  type PackageManager,
  type Purpose,
  planSetup,
  redisServer,
  type SystemTool,
  toolsFor,
} from './system-tools';

/*
 * The README's commands set the machine up themselves: every system tool a purpose needs is
 * found, or installed where we may (Debian or Ubuntu, as root or with password-less sudo), or
 * named with its install command before anything starts. Redis at REDIS_URL must answer; at
 * the default URL, when nothing answers, we run one ourselves and stop it when we stop.
 */

export const defaultRedisUrl = 'redis://127.0.0.1:6379';

/** Why the machine is not ready: each line names a tool and how to get it. */
export class MachineNotReady extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'MachineNotReady';
  }
}

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const isReadable = (path: string) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

export const findTool = (tool: SystemTool, path = process.env.PATH ?? ''): string | undefined =>
  tool.file
    ? tool.paths?.find(isReadable)
    : [
        ...path
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, tool.command)),
        ...(tool.paths ?? []),
      ].find(isExecutable);

const packageManagerOf = (): PackageManager | undefined => {
  if (process.platform === 'darwin') return 'brew';
  if (process.platform !== 'linux' || !existsSync('/etc/os-release')) return undefined;
  const release = readFileSync('/etc/os-release', 'utf8');
  const ids = `${/^ID=(.*)$/m.exec(release)?.[1] ?? ''} ${/^ID_LIKE=(.*)$/m.exec(release)?.[1] ?? ''}`.replace(
    /"/g,
    '',
  );
  if (/\b(debian|ubuntu)\b/.test(ids)) return 'apt';
  if (/\b(fedora|rhel|centos)\b/.test(ids)) return 'dnf';
  return undefined;
};

export const describeMachine = (): Machine => {
  const packageManager = packageManagerOf();
  const root = process.getuid?.() === 0;
  const sudoWithoutPassword = () => !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const allowed = process.env.MARQUEE_INSTALL !== '0';
  return {
    packageManager,
    canInstall: allowed && packageManager === 'apt' && (root || sudoWithoutPassword()),
    sudo: !root,
  };
};

/** Finds the tools; installs what is missing where it may; otherwise throws MachineNotReady. */
export const ensureTools = (tools: readonly SystemTool[], log: (line: string) => void) => {
  const missing = tools.filter((tool) => !findTool(tool));
  const machine = describeMachine();
  const plan = planSetup(missing, machine);
  if (plan.kind === 'ready') return;
  if (plan.kind === 'missing') throw new MachineNotReady(plan.lines);
  for (const tool of plan.tools) log(`installing ${tool.packages.apt} for ${tool.command} (${tool.why})`);
  const env = {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
    DEBCONF_NOWARNINGS: 'yes',
    NEEDRESTART_SUSPEND: '1',
  };
  const run = ([command, ...args]: readonly string[]) =>
    spawnSync(command as string, args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  // `apt-get update` runs as the install will (through sudo or not), with the package lists first.
  const aptGet = plan.command.slice(0, plan.command.indexOf('apt-get') + 1);
  const installed = run([...aptGet, 'update', '-qq']) && run(plan.command);
  const stillMissing = tools.filter((tool) => !findTool(tool));
  if (!installed || stillMissing.length > 0) {
    const after = planSetup(stillMissing, { ...machine, canInstall: false });
    throw new MachineNotReady([
      `installing ${plan.packages.join(' ')} failed (${plan.command.join(' ')})`,
      ...(after.kind === 'missing' ? after.lines : []),
    ]);
  }
  log(`installed ${plan.packages.join(', ')}`);
};

/** Does a Redis answer at this URL? (Any reply to PING counts: one that wants a password still answers.) */
export const redisAnswers = (url: string, timeoutMs = 1000) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = createConnection({
      host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: Number(port) || 6379,
    });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => done(/^[+-]/.test(reply.toString())));
  });

/** A Redis on this machine (the default, 127.0.0.1:6379, is one): where we may run one of our own. */
const isLocal = (url: string) => ['127.0.0.1', 'localhost'].includes(new URL(url).hostname);

export type RunningRedis = { url: string; stop: () => Promise<void> };

/**
 * Redis at REDIS_URL, or, when nothing answers at the default URL, one of our own keeping its
 * files in `dataDir` (`persist` for `npm start`, so queued encodes survive a restart).
 */
export const ensureRedis = async (options: {
  url: string | undefined;
  dataDir: string;
  persist: boolean;
  log: (line: string) => void;
}): Promise<RunningRedis> => {
  const url = options.url ?? defaultRedisUrl;
  const nothing = { url, stop: async () => {} };
  if (await redisAnswers(url)) return nothing;
  if (!isLocal(url))
    throw new MachineNotReady([`Redis at REDIS_URL=${url} does not answer: start it, or unset REDIS_URL`]);
  ensureTools([redisServer], options.log);
  const command = findTool(redisServer) as string;
  mkdirSync(options.dataDir, { recursive: true });
  options.log(`no Redis answers at ${url}: starting redis-server with its files in ${options.dataDir}`);
  const child: ChildProcess = spawn(
    command,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      new URL(url).port || '6379',
      '--dir',
      options.dataDir,
      '--save',
      '',
      '--appendonly',
      options.persist ? 'yes' : 'no',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // However we end (a crash included), our Redis ends with us.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  for (let attempt = 0; attempt < 100 && !(await redisAnswers(url, 200)); attempt++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!(await redisAnswers(url))) {
    child.kill('SIGKILL');
    throw new MachineNotReady([`redis-server did not start on ${url} (is the port taken by something else?)`]);
  }
  return {
    url,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
};

/**
 * Everything a purpose needs, before anything starts. Prints what is missing and exits 1 when
 * the machine cannot be made ready: never a stack trace, never a half-started platform.
 */
export const prepareMachine = async (
  purpose: Purpose,
  options: { dataDir: string; extraTools?: readonly string[]; log?: (line: string) => void },
): Promise<RunningRedis> => {
  const log = options.log ?? ((line: string) => console.log(`setup: ${line}`));
  try {
    ensureTools(toolsFor(purpose, options.extraTools), log);
    return await ensureRedis({
      url: process.env.REDIS_URL || undefined,
      dataDir: options.dataDir,
      persist: purpose === 'start',
      log,
    });
  } catch (error) {
    if (!(error instanceof MachineNotReady)) throw error;
    console.error(`Marquee cannot ${purpose === 'start' ? 'start' : `run the ${purpose}s`} on this machine yet:`);
    for (const line of error.lines) console.error(`  ${line}`);
    console.error('Nothing was started.');
    process.exit(1);
  }
};
