import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseApiKeys } from './auth/access';

/** A configuration value that cannot work; the message names each variable and what is wrong. */
export class InvalidConfig extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Marquee cannot start with this configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'InvalidConfig';
  }
}

/**
 * `<NAME>_FILE` in place of `<NAME>`, for every variable of a shape: compose and Kubernetes hand
 * secrets (and URLs that hold a password) to a container as files. The file's text is the value,
 * less the line end an editor leaves. A problem names the `_FILE` variable and never the value.
 */
const readValueFiles = (
  names: string[],
  env: Record<string, string | undefined>,
): { env: Record<string, string | undefined>; fromFiles: Set<string>; problems: InvalidConfig['problems'] } => {
  const values = { ...env };
  const fromFiles = new Set<string>();
  const problems: InvalidConfig['problems'] = [];
  for (const name of names) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    try {
      const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      // Both set is fine only when they agree, as when `npm start` passes on what it read.
      if (env[name] !== undefined && env[name] !== value)
        problems.push({ variable: `${name}_FILE`, message: `${name} is set too, to another value: set one of them` });
      values[name] = value;
      fromFiles.add(name);
    } catch (error) {
      problems.push({
        variable: `${name}_FILE`,
        message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      });
    }
  }
  return { env: values, fromFiles, problems };
};

/**
 * Reads environment variables through a schema whose every field has a working default,
 * so `npm start` needs nothing set, and a bad value stops the service at start. Any variable may
 * instead be given as a file, by `<NAME>_FILE`.
 */
export const readConfig = <Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> => {
  const files = readValueFiles(Object.keys(shape), env);
  if (files.problems.length > 0) throw new InvalidConfig(files.problems);
  const parsed = z.object(shape).safeParse(files.env);
  if (!parsed.success)
    throw new InvalidConfig(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        return { variable: files.fromFiles.has(variable) ? `${variable}_FILE` : variable, message: issue.message };
      }),
    );
  return parsed.data;
};

/**
 * A service's configuration at start: a bad value prints the message naming each variable and
 * exits, since a stack trace would only bury it.
 */
export const readServiceConfig = <Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> => {
  try {
    return readConfig(shape, env);
  } catch (error) {
    if (!(error instanceof InvalidConfig)) throw error;
    console.error(error.message);
    process.exit(1);
  }
};

/** The event store every service shares. */
export const eventStoreConfig = {
  EVENT_STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|esdb(\+discover)?:\/\/.+)$/, 'use sqlite:<file> or esdb://<host>:<port>?tls=false')
    .default('sqlite:./data/events.db'),
  /** EventStoreDB only: how many of a stream's newest events an append searches for the ids it repeats. */
  ESDB_DUPLICATE_SCAN_WINDOW: z.coerce.number().int().min(1).max(100_000).default(1000),
};

/** The view store the projections write and the query API reads. */
export const viewStoreConfig = {
  VIEW_STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+)$/, 'use sqlite:<file> or mongodb://<host>:<port>/<database>')
    .default('sqlite:./data/views.db'),
};

/** Where the embedded setup keeps its files, and who may call the APIs. */
export const accessConfig = {
  DATA_DIR: z.string().min(1).default('./data'),
  TOKEN_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  API_KEYS: z
    .string()
    .optional()
    .superRefine((value, context) => {
      if (value === undefined) return;
      try {
        parseApiKeys(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
};

/**
 * Where each service listens on one machine unless told otherwise: the one place these numbers
 * are written. Every main, `npm start`, the e2e platform and the benchmarks take them from here.
 */
export const defaultPorts = {
  commandApi: 4001,
  queryApi: 4002,
  player: 8080,
  origin: 8100,
  /** The edges `npm start` runs (eu, us); an edge started by itself takes the first. */
  edges: [8101, 8102],
} as const;

/** A service on this machine, at its port. */
export const localUrl = (port: number) => `http://127.0.0.1:${port}`;

/** A TCP port; 0 lets the system pick one (tests). */
export const port = z.coerce.number().int().min(0).max(65535);

/** Redis: the job queue's broker, and where edges' health heartbeats live. */
export const redisConfig = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'use redis://<host>:<port>')
    .default('redis://127.0.0.1:6379'),
};

const proxyNames = ['loopback', 'linklocal', 'uniquelocal'];
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

/**
 * Which peers are proxies whose X-Forwarded-For is believed (express's `trust proxy`): a
 * comma-separated list of addresses, subnets and the names loopback, linklocal, uniquelocal.
 * Anyone else's X-Forwarded-For is ignored, so a client cannot choose its own rate-limit bucket.
 */
export const trustProxyConfig = {
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((entries, context) => {
      if (entries.length === 0) context.addIssue({ code: 'custom', message: 'name at least one proxy, e.g. loopback' });
      for (const entry of entries)
        if (!proxyNames.includes(entry) && !proxyAddress.safeParse(entry).success)
          context.addIssue({
            code: 'custom',
            message: `"${entry}" is not an address, a subnet (e.g. 172.28.0.0/16) or one of ${proxyNames.join(', ')}`,
          });
    }),
};
