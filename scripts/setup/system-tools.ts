/*
 * What Marquee needs from the machine besides Node, and how each system installs it. Pure:
 * `planSetup` turns what was found into what to do, so the decision is tested without a machine.
 */

export type Purpose = 'start' | 'test' | 'bench';
export type PackageManager = 'apt' | 'dnf' | 'brew';

export type SystemTool = {
  /** The command looked up on PATH (or at one of `paths`). */
  command: string;
  /** Also looked for here: Debian puts nginx in /usr/sbin, which is not on a user's PATH. */
  paths?: readonly string[];
  why: string;
  neededFor: readonly Purpose[];
  packages: Record<PackageManager, string>;
};

export const systemTools: readonly SystemTool[] = [
  {
    command: 'ffmpeg',
    why: 'encodes uploads; tests make their media with it',
    neededFor: ['start', 'test', 'bench'],
    packages: { apt: 'ffmpeg', dnf: 'ffmpeg', brew: 'ffmpeg' },
  },
  {
    command: 'ffprobe',
    why: 'checks uploaded sources',
    neededFor: ['start', 'test', 'bench'],
    packages: { apt: 'ffmpeg', dnf: 'ffmpeg', brew: 'ffmpeg' },
  },
  {
    command: 'chromium',
    why: 'plays streams in the end-to-end tests and the player benchmark',
    neededFor: ['test', 'bench'],
    packages: { apt: 'chromium', dnf: 'chromium', brew: '--cask chromium' },
  },
  {
    command: 'nginx',
    paths: ['/usr/sbin/nginx'],
    why: 'fronts edges in the edge tests and benchmark (EDGE_SERVE_WITH=nginx)',
    neededFor: ['test', 'bench'],
    packages: { apt: 'nginx', dnf: 'nginx', brew: 'nginx' },
  },
  {
    command: 'wrk',
    why: 'loads the edges in the edge benchmark',
    neededFor: ['bench'],
    packages: { apt: 'wrk', dnf: 'wrk', brew: 'wrk' },
  },
  {
    command: 'redis-cli',
    why: "empties the end-to-end tests' Redis database",
    neededFor: ['test'],
    packages: { apt: 'redis-tools', dnf: 'redis', brew: 'redis' },
  },
  {
    command: 'docker-compose',
    why: 'checks docker-compose.yml in the tests (no Docker engine needed)',
    neededFor: ['test'],
    packages: { apt: 'docker-compose', dnf: 'docker-compose', brew: 'docker-compose' },
  },
];

/**
 * Runs a Redis for the embedded set-up when none answers: looked for by `npm start` and the
 * benchmarks only then; the tests always want it, since one of them starts a Redis of its own.
 */
export const redisServer: SystemTool = {
  command: 'redis-server',
  paths: ['/usr/bin/redis-server', '/usr/sbin/redis-server'],
  why: 'runs a Redis of our own when none answers at REDIS_URL',
  neededFor: ['test'],
  packages: { apt: 'redis-server', dnf: 'redis', brew: 'redis' },
};

export type Machine = {
  /** The package manager this system has, if one we know. */
  packageManager: PackageManager | undefined;
  /** Whether we may install with it without asking anyone (apt as root or password-less sudo). */
  canInstall: boolean;
  /** Not root: apt and dnf go through sudo. */
  sudo: boolean;
};

export type SetupPlan =
  | { kind: 'ready' }
  | { kind: 'install'; command: readonly string[]; packages: readonly string[]; tools: readonly SystemTool[] }
  | { kind: 'missing'; lines: readonly string[] };

export const installCommand = (manager: PackageManager, packages: readonly string[], sudo: boolean): string => {
  const list = packages.join(' ');
  if (manager === 'brew') return `brew install ${list}`;
  const prefix = sudo ? 'sudo ' : '';
  return manager === 'apt' ? `${prefix}apt-get install -y ${list}` : `${prefix}dnf install -y ${list}`;
};

/** The one line a user reads for a tool we could not install, with the exact command for their system. */
export const missingToolLine = (tool: SystemTool, manager: PackageManager | undefined, sudo = true): string => {
  const commands = manager
    ? installCommand(manager, [tool.packages[manager]], sudo)
    : (['apt', 'dnf', 'brew'] as const).map((each) => installCommand(each, [tool.packages[each]], sudo)).join('  or  ');
  const note = manager === 'dnf' && tool.packages.dnf === 'ffmpeg' ? ' (from RPM Fusion)' : '';
  return `missing ${tool.command} (${tool.why}): install it with ${commands}${note}`;
};

/** What to do about the tools `missing` on this machine. */
export const planSetup = (missing: readonly SystemTool[], machine: Machine): SetupPlan => {
  if (missing.length === 0) return { kind: 'ready' };
  if (machine.canInstall && machine.packageManager === 'apt') {
    const packages = [...new Set(missing.map((tool) => tool.packages.apt))];
    return {
      kind: 'install',
      command: [...(machine.sudo ? ['sudo'] : []), 'apt-get', 'install', '-y', '-q', ...packages],
      packages,
      tools: missing,
    };
  }
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const tool of missing) {
    const line = missingToolLine(tool, machine.packageManager, machine.sudo);
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return { kind: 'missing', lines };
};

export const toolsFor = (purpose: Purpose, extra: readonly string[] = []) =>
  [...systemTools, redisServer].filter((tool) => tool.neededFor.includes(purpose) || extra.includes(tool.command));
