/*
 * What Marquee needs from the machine besides Node, and how each system installs it. Pure:
 * `planSetup` turns what was found into what to do, so the decision is tested without a machine.
 */

export type Purpose = 'start' | 'test' | 'bench';
export type PackageManager = 'apt' | 'dnf' | 'brew';

export type SystemTool = {
  /** The command looked up on PATH (or at one of `paths`); for a `file`, the name users read. */
  command: string;
  /** Also looked for here: Debian puts nginx in /usr/sbin, which is not on a user's PATH. */
  paths?: readonly string[];
  /** Not a command but a file (an nginx module): found at one of `paths`, readable. */
  file?: boolean;
  /** Needed wherever this other tool is (an nginx module wherever nginx is). */
  alongside?: string;
  why: string;
  neededFor: readonly Purpose[];
  /** The package on each system; null where the system has none, and `notes` says what to do. */
  packages: Record<PackageManager, string | null>;
  /** Said after the install command (where the package comes from), or instead of it when there is no package. */
  notes?: Partial<Record<PackageManager, string>>;
};

/** Where systems put nginx's njs module (edge-node's nginx-front looks in the same places). */
export const njsModulePaths = [
  '/usr/lib/nginx/modules/ngx_http_js_module.so',
  '/usr/lib64/nginx/modules/ngx_http_js_module.so',
  '/usr/share/nginx/modules/ngx_http_js_module.so',
  '/etc/nginx/modules/ngx_http_js_module.so',
] as const;

export const systemTools: readonly SystemTool[] = [
  {
    command: 'ffmpeg',
    why: 'encodes uploads; tests make their media with it',
    neededFor: ['start', 'test', 'bench'],
    packages: { apt: 'ffmpeg', dnf: 'ffmpeg', brew: 'ffmpeg' },
    notes: { dnf: 'from RPM Fusion' },
  },
  {
    command: 'ffprobe',
    why: 'checks uploaded sources',
    neededFor: ['start', 'test', 'bench'],
    packages: { apt: 'ffmpeg', dnf: 'ffmpeg', brew: 'ffmpeg' },
    notes: { dnf: 'from RPM Fusion' },
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
    command: 'njs (ngx_http_js_module.so)',
    file: true,
    paths: njsModulePaths,
    alongside: 'nginx',
    why: 'lets nginx check content tokens itself, so a hit costs no trip through Node',
    neededFor: ['test', 'bench'],
    packages: { apt: 'libnginx-mod-http-js', dnf: 'nginx-module-njs', brew: null },
    notes: {
      dnf: "from nginx.org's repository (https://nginx.org/en/linux_packages.html): Fedora has no njs package",
      brew: 'Homebrew has no njs module: build it (https://nginx.org/en/docs/njs/install.html) and set NGINX_NJS_MODULE to it',
    },
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

/** How one system gets the tool: its install command, with where the package comes from. */
const howOn = (tool: SystemTool, manager: PackageManager, sudo: boolean) => {
  const name = tool.packages[manager];
  const note = tool.notes?.[manager];
  if (name === null) return note ?? `${manager} has no package for it`;
  return `${installCommand(manager, [name], sudo)}${note ? ` (${note})` : ''}`;
};

/** The one line a user reads for a tool we could not install, with the exact command for their system. */
export const missingToolLine = (tool: SystemTool, manager: PackageManager | undefined, sudo = true): string => {
  const how = manager
    ? howOn(tool, manager, sudo)
    : (['apt', 'dnf', 'brew'] as const).map((each) => howOn(tool, each, sudo)).join('  or  ');
  const install = manager && tool.packages[manager] === null ? how : `install it with ${how}`;
  return `missing ${tool.command} (${tool.why}): ${install}`;
};

/** What to do about the tools `missing` on this machine. */
export const planSetup = (missing: readonly SystemTool[], machine: Machine): SetupPlan => {
  if (missing.length === 0) return { kind: 'ready' };
  if (machine.canInstall && machine.packageManager === 'apt') {
    const packages = [
      ...new Set(missing.map((tool) => tool.packages.apt).filter((name): name is string => name !== null)),
    ];
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

export const toolsFor = (purpose: Purpose, extra: readonly string[] = []) => {
  const tools = [...systemTools, redisServer];
  const wanted = (tool: SystemTool) => tool.neededFor.includes(purpose) || extra.includes(tool.command);
  const commands = new Set(tools.filter(wanted).map((tool) => tool.command));
  return tools.filter((tool) => wanted(tool) || (tool.alongside !== undefined && commands.has(tool.alongside)));
};
