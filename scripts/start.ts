// `npm start`: the whole platform on the embedded defaults, in one terminal: the projection
// runner, the encoder, the origin and two edges, both APIs and the player, with demo titles
// seeded on the first start. Everything lives under DATA_DIR (./data). Ctrl-C stops it all.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  accessConfig,
  accessSettings,
  defaultPorts,
  eventStoreConfig,
  localUrl,
  openEventStore,
  port,
  readServiceConfig,
  viewStoreConfig,
} from '@marquee/platform';
import { z } from 'zod';
import { seedDemoTitles } from './seed-demo';
import { prepareMachine } from './setup/prepare-machine';

const { DATA_DIR: dataDir } = readServiceConfig(accessConfig);
const config = readServiceConfig({
  ...eventStoreConfig,
  ...viewStoreConfig,
  ...accessConfig,
  QUERY_API_PORT: port.min(1).default(defaultPorts.queryApi),
  COMMAND_API_PORT: port.min(1).default(defaultPorts.commandApi),
  PLAYER_PORT: port.min(1).default(defaultPorts.player),
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  // Edges fronted by nginx need it on this machine.
  EDGE_SERVE_WITH: z.enum(['node', 'nginx']).default('node'),
  // The stores follow DATA_DIR unless they are set themselves.
  EVENT_STORE_URL: eventStoreConfig.EVENT_STORE_URL.default(`sqlite:${join(dataDir, 'events.db')}`),
  VIEW_STORE_URL: viewStoreConfig.VIEW_STORE_URL.default(`sqlite:${join(dataDir, 'views.db')}`),
});

// Every system tool and Redis first: nothing starts on a machine that cannot run it all.
const redis = await prepareMachine('start', {
  dataDir: join(dataDir, 'redis'),
  extraTools: config.EDGE_SERVE_WITH === 'nginx' ? ['nginx'] : [],
});

// The player is a built app; turbo's cache makes this instant when nothing changed.
console.log('building the player…');
execFileSync('npx', ['turbo', 'run', 'build', '--filter=@marquee/player', '--output-logs=errors-only'], {
  stdio: 'inherit',
});
// Made here first, so every service shares the same development secrets.
const access = accessSettings(config);
const store = await openEventStore(config.EVENT_STORE_URL);
const head = await store.headPosition();
await store.close();

type Service = { name: string; script: string; url?: string; health?: string; env?: Record<string, string> };
const services: Service[] = [
  { name: 'projections', script: 'projections/src/main.ts' },
  { name: 'encoder', script: 'encoder-workers/src/main.ts' },
  {
    name: 'origin',
    script: 'edge-node/src/main.ts',
    url: localUrl(defaultPorts.origin),
    health: `${localUrl(defaultPorts.origin)}/healthz`,
    env: { EDGE_ROLE: 'origin', EDGE_PORT: String(defaultPorts.origin) },
  },
  // Two edges in two regions, each with its own disk under data/edges/, filled from the origin.
  ...[
    { id: 'edge-eu', region: 'eu', port: defaultPorts.edges[0] },
    { id: 'edge-us', region: 'us', port: defaultPorts.edges[1] },
  ].map(
    (edge): Service => ({
      name: edge.id,
      script: 'edge-node/src/main.ts',
      url: localUrl(edge.port),
      health: `${localUrl(edge.port)}/healthz`,
      env: { EDGE_ROLE: 'edge', EDGE_ID: edge.id, EDGE_REGION: edge.region, EDGE_PORT: String(edge.port) },
    }),
  ),
  {
    name: 'command-api',
    script: 'command-api/src/main.ts',
    url: localUrl(config.COMMAND_API_PORT),
    health: `${localUrl(config.COMMAND_API_PORT)}/healthz`,
  },
  {
    name: 'query-api',
    script: 'query-api/src/main.ts',
    url: localUrl(config.QUERY_API_PORT),
    health: `${localUrl(config.QUERY_API_PORT)}/healthz`,
  },
  {
    name: 'player',
    script: 'player/src/server/main.ts',
    url: localUrl(config.PLAYER_PORT),
    health: `${localUrl(config.PLAYER_PORT)}/healthz`,
    env: {
      PORT: String(config.PLAYER_PORT),
      COMMAND_API_URL: localUrl(config.COMMAND_API_PORT),
      QUERY_API_URL: localUrl(config.QUERY_API_PORT),
    },
  },
];

const children = new Map<string, ChildProcess>();
let stopping = false;

/** One line of a service's output: pino JSON becomes `[service] message`, anything else passes through. */
const show = (name: string, line: string) => {
  try {
    const { msg, level, time: _t, pid: _p, hostname: _h, name: _n, req, res, responseTime, ...rest } = JSON.parse(line);
    if (req && res) {
      console.log(`[${name}] ${req.method} ${req.url} → ${res.statusCode} (${responseTime} ms)`);
      return;
    }
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    console.log(`[${name}]${level >= 50 ? ' ERROR' : level >= 40 ? ' WARN' : ''} ${msg}${extra}`);
  } catch {
    console.log(`[${name}] ${line}`);
  }
};

const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping Marquee…');
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  await redis.stop();
  console.log('stopped');
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0));

for (const service of services) {
  const child = spawn(process.execPath, ['--import', 'tsx', service.script], {
    env: {
      ...process.env,
      EVENT_STORE_URL: config.EVENT_STORE_URL,
      VIEW_STORE_URL: config.VIEW_STORE_URL,
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      ...service.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream }).on('line', (line) => show(service.name, line));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    // A CDN outlives an edge: steering drops it when its heartbeat expires and players move on.
    if (service.name.startsWith('edge-')) {
      console.error(`[${service.name}] exited (${how}); viewers move to the other edge and the origin`);
      children.delete(service.name);
      return;
    }
    console.error(`[${service.name}] exited unexpectedly (${how}); stopping the rest`);
    void stopAll(1);
  });
}

const urlOf = (name: string) => services.find((service) => service.name === name)?.url ?? '';

const answers = async (url: string) => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};
for (const service of services) {
  if (!service.health) continue;
  const deadline = Date.now() + 30_000;
  while (!(await answers(service.health))) {
    if (stopping) break;
    if (Date.now() > deadline) {
      console.error(`[${service.name}] did not answer ${service.health} within 30 s`);
      await stopAll(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

console.log(`
Marquee is running (Ctrl-C stops everything)
  event store      ${config.EVENT_STORE_URL} (${head} events at start)
  view store       ${config.VIEW_STORE_URL}
  projections      following the log into the views
  encoder          dispatcher and one worker: uploads become CMAF ladders (DASH and HLS) in ${join(dataDir, 'origin')}
  origin           ${urlOf('origin')}/c/<token>/…   (serves ${join(dataDir, 'origin')})
  edges            ${urlOf('edge-eu')} (eu), ${urlOf('edge-us')} (us)   (status: /status, disks in ${join(dataDir, 'edges')})
  command API      ${urlOf('command-api')}   (docs: ${urlOf('command-api')}/docs)
  query API        ${urlOf('query-api')}   (docs: ${urlOf('query-api')}/docs, metrics: ${urlOf('query-api')}/metrics)
  content API key  ${access.development ? access.development.contentKey : '(from API_KEYS)'}   (send as X-Api-Key; the player's Studio page asks for it)
  analyst API key  ${access.development ? access.development.analystKey : '(from API_KEYS)'}   (the player's Analytics page asks for it)

Analysts' tools: npm run marquee -- --help

Open ${urlOf('player')}`);

if (config.SEED_DEMO === '1' && access.development) {
  const contentKey = access.development.contentKey;
  seedDemoTitles({
    dataDir,
    contentKey,
    urls: {
      commandApi: urlOf('command-api'),
      queryApi: urlOf('query-api'),
      edges: [urlOf('edge-eu'), urlOf('edge-us')],
    },
    log: (line) => console.log(`[demo] ${line}`),
  }).then(
    (titles) =>
      console.log(`[demo] demo titles ready: ${titles.map((title) => title.name).join(', ')} (on both edges)`),
    (error) => {
      if (!stopping)
        console.error(`[demo] seeding the demo titles failed: ${error instanceof Error ? error.message : error}`);
    },
  );
}
