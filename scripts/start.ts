// `npm start`: the whole platform on the embedded defaults, in one terminal: the projection
// runner, the encoder, the origin and two edges, both APIs and the player, with demo titles
// seeded on the first start and a little demand played on them (demo-demand.ts). Everything
// lives under DATA_DIR (./data). Ctrl-C stops it all.
// A service that dies is started again (see restart-policy.ts), as a process supervisor would.
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
  withoutPassword,
} from '@marquee/platform';
import { z } from 'zod';
import { playDemoDemandOnce } from './demo-demand';
import { decideRestart, restartWindowMs } from './restart-policy';
import { demoTitles, seedDemoTitles } from './seed-demo';
import { prepareMachine } from './setup/prepare-machine';

const { DATA_DIR: dataDir } = readServiceConfig(accessConfig);
const config = readServiceConfig({
  ...eventStoreConfig,
  ...viewStoreConfig,
  ...accessConfig,
  QUERY_API_PORT: port.min(1).default(defaultPorts.queryApi),
  COMMAND_API_PORT: port.min(1).default(defaultPorts.commandApi),
  PLAYER_PORT: port.min(1).default(defaultPorts.player),
  ORIGIN_PORT: port.min(1).default(defaultPorts.origin),
  EDGE_EU_PORT: port.min(1).default(defaultPorts.edges[0]),
  EDGE_US_PORT: port.min(1).default(defaultPorts.edges[1]),
  /** A service that dies more often than this within a minute stops the platform; 0 never restarts one. */
  SERVICE_RESTARTS_PER_MINUTE: z.coerce.number().int().min(0).max(100).default(5),
  /** The pause before a dead service's first restart; it doubles with each further one within a minute. */
  SERVICE_RESTART_DELAY_SECONDS: z.coerce.number().min(0.1).max(300).default(1),
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
// Positions are not event counts on every store: count, up to a bound, for the banner.
const shownEventsLimit = 100_000;
const eventsAtStart = await store.countEventsAfter(0, shownEventsLimit);
await store.close();

type Service = { name: string; script: string; url?: string; health?: string; env?: Record<string, string> };
const originUrl = localUrl(config.ORIGIN_PORT);
const services: Service[] = [
  { name: 'projections', script: 'projections/src/main.ts' },
  { name: 'encoder', script: 'encoder-workers/src/main.ts' },
  {
    name: 'origin',
    script: 'edge-node/src/main.ts',
    url: originUrl,
    health: `${originUrl}/healthz`,
    env: { EDGE_ROLE: 'origin', EDGE_PORT: String(config.ORIGIN_PORT), ORIGIN_URL: originUrl },
  },
  // Two edges in two regions, each with its own disk under data/edges/, filled from the origin.
  ...[
    { id: 'edge-eu', region: 'eu', port: config.EDGE_EU_PORT },
    { id: 'edge-us', region: 'us', port: config.EDGE_US_PORT },
  ].map(
    (edge): Service => ({
      name: edge.id,
      script: 'edge-node/src/main.ts',
      url: localUrl(edge.port),
      health: `${localUrl(edge.port)}/healthz`,
      env: {
        EDGE_ROLE: 'edge',
        EDGE_ID: edge.id,
        EDGE_REGION: edge.region,
        EDGE_PORT: String(edge.port),
        EDGE_UPSTREAM: originUrl,
        ORIGIN_URL: originUrl,
        STEERING_URL: `${localUrl(config.QUERY_API_PORT)}/steering`,
      },
    }),
  ),
  {
    name: 'command-api',
    script: 'command-api/src/main.ts',
    url: localUrl(config.COMMAND_API_PORT),
    health: `${localUrl(config.COMMAND_API_PORT)}/healthz`,
    env: { COMMAND_API_PORT: String(config.COMMAND_API_PORT), ORIGIN_URL: originUrl },
  },
  {
    name: 'query-api',
    script: 'query-api/src/main.ts',
    url: localUrl(config.QUERY_API_PORT),
    health: `${localUrl(config.QUERY_API_PORT)}/healthz`,
    env: { QUERY_API_PORT: String(config.QUERY_API_PORT) },
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
      ORIGIN_URL: originUrl,
    },
  },
];

const children = new Map<string, ChildProcess>();
/** When each service was restarted, for the restart policy. */
const restarts = new Map<string, number[]>();
const pendingRestarts = new Set<NodeJS.Timeout>();
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
  for (const timer of pendingRestarts) clearTimeout(timer);
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

const run = (service: Service) => {
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
  console.log(`[${service.name}] started (pid ${child.pid})`);
  for (const stream of [child.stdout, child.stderr])
    if (stream) createInterface({ input: stream }).on('line', (line) => show(service.name, line));
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    const restartedAt = restarts.get(service.name) ?? [];
    const decision = decideRestart(restartedAt, Date.now(), {
      maxPerMinute: config.SERVICE_RESTARTS_PER_MINUTE,
      firstDelayMs: config.SERVICE_RESTART_DELAY_SECONDS * 1000,
    });
    if (decision.kind === 'give-up') {
      console.error(
        `[${service.name}] exited unexpectedly (${how}) after ${decision.recentRestarts} restart(s) within a minute ` +
          `(SERVICE_RESTARTS_PER_MINUTE=${config.SERVICE_RESTARTS_PER_MINUTE}); giving up: stopping the rest`,
      );
      void stopAll(1);
      return;
    }
    // Meanwhile a CDN outlives an edge: steering drops it when its heartbeat expires and players move on.
    console.error(
      `[${service.name}] died (${how}); restarting it in ${decision.delayMs / 1000} s ` +
        `(restart ${decision.recentRestarts + 1} of at most ${config.SERVICE_RESTARTS_PER_MINUTE} a minute)`,
    );
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (stopping) return;
      restarts.set(service.name, [...restartedAt.filter((at) => Date.now() - at < restartWindowMs), Date.now()]);
      run(service);
    }, decision.delayMs);
    pendingRestarts.add(timer);
  });
};
for (const service of services) run(service);

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
  event store      ${withoutPassword(config.EVENT_STORE_URL)} (${eventsAtStart}${eventsAtStart >= shownEventsLimit ? '+' : ''} events at start)
  view store       ${withoutPassword(config.VIEW_STORE_URL)}
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
    (titles) => {
      console.log(`[demo] demo titles ready: ${titles.map((title) => title.name).join(', ')} (on both edges)`);
      // The films, not the series' own id: a viewer plays its episodes.
      const films = titles.filter((title) => demoTitles.some((film) => film.name === title.name));
      playDemoDemandOnce({
        dataDir,
        commandApi: urlOf('command-api'),
        titles: films,
        log: (line) => console.log(`[demo] ${line}`),
      }).catch((error) => {
        if (!stopping)
          console.error(`[demo] the demo demand failed: ${error instanceof Error ? error.message : error}`);
      });
    },
    (error) => {
      if (!stopping)
        console.error(`[demo] seeding the demo titles failed: ${error instanceof Error ? error.message : error}`);
    },
  );
}
