import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

type Service = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { published: number; target: number })[];
  networks?: Record<string, { ipv4_address?: string } | null>;
  secrets?: { source: string }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
type Compose = {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean }>;
  secrets: Record<string, { file: string }>;
};

const composeConfig = (...files: string[]) =>
  spawnSync('docker-compose', [...files.flatMap((file) => ['-f', file]), 'config'], { cwd: root, encoding: 'utf8' });

/**
 * The compose file as compose reads it (anchors merged), as JSON. docker-compose v1 prints only
 * YAML; it is a Python program that carries PyYAML, so its Python reads that YAML back.
 */
const resolvedCompose = (...files: string[]): Compose => {
  const printed = composeConfig(...files);
  expect(printed.status, printed.stderr).toBe(0);
  const json = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    {
      input: printed.stdout,
      encoding: 'utf8',
    },
  );
  expect(json.status, json.stderr).toBe(0);
  return JSON.parse(json.stdout) as Compose;
};

it('docker-compose.yml is a valid compose file (checked without a Docker engine)', () => {
  const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

describe('the production topology', () => {
  const compose = resolvedCompose('docker-compose.yml');
  const stores = ['eventstore', 'mongodb', 'redis'];
  const marqueeServices = Object.entries(compose.services).filter(([, service]) => service.image === 'marquee:latest');

  it('publishes no store on the host, and puts each only on internal networks', () => {
    for (const store of stores) {
      const service = compose.services[store] as Service;
      expect(service.ports ?? [], store).toEqual([]);
      const networks = Object.keys(service.networks ?? {});
      expect(networks.length, store).toBeGreaterThan(0);
      for (const network of networks) expect(compose.networks[network]?.internal, `${store} on ${network}`).toBe(true);
    }
  });

  it('gives every service whose configuration reads REDIS_URL its URL, and starts it once Redis is healthy', () => {
    const readsRedis = (service: Service) => {
      const main = join(root, service.command?.at(-1) ?? '');
      const sources = [readFileSync(main, 'utf8')];
      // The edge's main reads its shape from edge-config.ts.
      if (sources[0]?.includes("from './edge-config'"))
        sources.push(readFileSync(join(dirname(main), 'edge-config.ts'), 'utf8'));
      return sources.some((source) => source.includes('redisConfig'));
    };
    const users = marqueeServices.filter(([, service]) => readsRedis(service)).map(([name]) => name);
    expect(users).toEqual(
      expect.arrayContaining(['command-api', 'query-api', 'encoder-dispatcher', 'encoder-worker', 'origin', 'edge-eu']),
    );
    for (const name of users) {
      const service = compose.services[name] as Service;
      expect(service.environment?.REDIS_URL_FILE ?? service.environment?.REDIS_URL, name).toBeDefined();
      expect(service.depends_on?.redis?.condition, name).toBe('service_healthy');
      expect(Object.keys(service.networks ?? {}), name).toContain('queue');
    }
  });

  it('hands each <NAME>_FILE variable a secret the service is given, and runs no store without a password', () => {
    for (const [name, service] of Object.entries(compose.services))
      for (const [variable, value] of Object.entries(service.environment ?? {}))
        if (variable.endsWith('_FILE')) {
          const secret = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
          expect(secret, `${name} ${variable}`).toBeDefined();
          expect(
            service.secrets?.map((s) => s.source),
            `${name} ${variable}`,
          ).toContain(secret);
        }
    expect(compose.services.mongodb?.environment?.MONGO_INITDB_ROOT_PASSWORD_FILE).toBe(
      '/run/secrets/mongodb-root-password',
    );
    expect(JSON.stringify(compose.services.redis)).toContain('requirepass');
  });

  it('calls MongoDB healthy only once it is the writable primary', () => {
    expect(compose.services.mongodb?.healthcheck?.test.join(' ')).toContain('db.hello().isWritablePrimary');
  });

  it('pins EventStoreDB to an exact 24.10 release', () => {
    expect(compose.services.eventstore?.image).toMatch(/^eventstore\/eventstore:24\.10\.\d+-[a-z]+$/);
  });

  it("trusts X-Forwarded-For from the player's address alone", () => {
    const player = compose.services.player?.networks?.front?.ipv4_address;
    expect(player).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(compose.services['command-api']?.environment?.TRUST_PROXY).toBe(player);
  });

  it("publishes the stores on loopback only for the contract suites' run", () => {
    const forSuites = resolvedCompose('docker-compose.yml', 'docker-compose.contract-suites.yml');
    for (const store of ['eventstore', 'mongodb'])
      for (const port of forSuites.services[store]?.ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
  });
});

describe('scripts/compose-secrets.sh', () => {
  const clone = mkdtempSync(join(tmpdir(), 'marquee-compose-secrets-'));
  afterAll(() => rmSync(clone, { recursive: true, force: true }));
  mkdirSync(join(clone, 'scripts'));
  copyFileSync(join(root, 'scripts', 'compose-secrets.sh'), join(clone, 'scripts', 'compose-secrets.sh'));
  const run = () => spawnSync('sh', [join(clone, 'scripts', 'compose-secrets.sh')], { encoding: 'utf8' });
  const secret = (name: string) => readFileSync(join(clone, '.secrets', name), 'utf8');

  it('makes every secret the compose file names, once, with URLs that carry the passwords', () => {
    expect(run().status).toBe(0);
    const compose = resolvedCompose('docker-compose.yml');
    const made = Object.fromEntries(
      Object.entries(compose.secrets).map(([name, { file }]) => {
        expect(file.startsWith(join(root, '.secrets/')), file).toBe(true);
        return [name, secret(file.slice(join(root, '.secrets/').length))];
      }),
    );
    expect(made['redis-url']).toBe(`redis://:${made['redis-password']}@redis:6379`);
    expect(made['view-store-url']).toContain(`marquee:${made['mongodb-root-password']}@mongodb:27017/`);
    expect(made['api-keys']).toMatch(/^content:content:\S{16,},analyst:analyst:\S{16,}$/);
    // A second run keeps what is there: the stores' volumes were made with those passwords.
    expect(run().status).toBe(0);
    expect(secret('redis-password')).toBe(made['redis-password']);
  });
});
