import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { parseApiKeys } from './access';

/*
 * The embedded setup's secrets: made at random on first start and kept in the data folder
 * (readable by its owner only), so tokens survive restarts and nothing has to be configured.
 * Every service starts at once under `npm start`, so making or completing the file must give
 * every process the same secrets: the file is only ever replaced whole (a unique temporary
 * file renamed over it), by the one process holding its lock, and every process reads what is
 * on disk after.
 */

export type DevelopmentSecrets = {
  tokenSecret: string;
  contentKey: string;
  analystKey: string;
  /** Shared by the command API (which signs content tokens) and the edges (which check them). */
  contentTokenSecret: string;
};

const freshSecrets = (): DevelopmentSecrets => ({
  tokenSecret: randomBytes(32).toString('base64url'),
  contentKey: `content-${randomBytes(18).toString('base64url')}`,
  analystKey: `analyst-${randomBytes(18).toString('base64url')}`,
  contentTokenSecret: randomBytes(32).toString('base64url'),
});
const secretNames = Object.keys(freshSecrets()) as (keyof DevelopmentSecrets)[];

export class UnreadableSecrets extends Error {
  readonly code = 'UnreadableSecrets';
  constructor(path: string, why: string) {
    super(
      `${path} ${why}. Delete it to make new development secrets (viewers will have to log in again), or set TOKEN_SECRET, API_KEYS and CONTENT_TOKEN_SECRET.`,
    );
    this.name = 'UnreadableSecrets';
  }
}

/** What the file holds now, or undefined when there is no file. */
const readStored = (path: string): Partial<DevelopmentSecrets> | undefined => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stored: unknown = JSON.parse(text);
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new Error('not an object');
    return stored as Partial<DevelopmentSecrets>;
  } catch {
    throw new UnreadableSecrets(path, 'is not a JSON object of secrets');
  }
};

const isComplete = (stored: Partial<DevelopmentSecrets> | undefined): stored is DevelopmentSecrets =>
  stored !== undefined && secretNames.every((name) => typeof stored[name] === 'string' && stored[name] !== '');

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// Holding the lock takes a millisecond; one older than this was left by a process that died.
const staleLockMs = 10_000;
const lockTimeoutMs = 30_000;

/** Runs `work` holding `<path>.lock` (a directory: making one is atomic, and fails if it exists). */
const withFileLock = (path: string, work: () => void) => {
  const lock = `${path}.lock`;
  const deadline = Date.now() + lockTimeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleLockMs) rmdirSync(lock);
    } catch {
      // Released meanwhile: try again at once.
    }
    if (Date.now() > deadline) throw new UnreadableSecrets(path, `stays locked by ${lock}; remove that folder`);
    pause(5 + Math.random() * 10);
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

/** Replaces the file whole: a reader sees the old file or the new one, never a part. */
const writeWhole = (path: string, secrets: DevelopmentSecrets) => {
  const temporary = join(dirname(path), `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
};

/**
 * The development secrets in `path`: made on first start, and a secret added since the file
 * was made is added to it, keeping the others. Any number of processes calling this at once
 * all get the same secrets.
 */
export const loadDevelopmentSecrets = (path: string): DevelopmentSecrets => {
  const stored = readStored(path);
  if (isComplete(stored)) return stored;
  mkdirSync(dirname(path), { recursive: true });
  withFileLock(path, () => {
    const current = readStored(path);
    if (!isComplete(current)) writeWhole(path, { ...freshSecrets(), ...current });
  });
  const written = readStored(path);
  if (!isComplete(written)) throw new UnreadableSecrets(path, 'was changed while it was being completed');
  return written;
};

/** Where the embedded setup keeps its secrets. */
export const developmentSecretsPath = (dataDir: string) => join(dataDir, 'secrets.json');

/** The secret content tokens are signed and checked with, shared by the command API, the edges and the player. */
export const contentTokenConfig = {
  CONTENT_TOKEN_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
};

/** The configured content-token secret, or the development one in DATA_DIR. */
export const loadContentTokenSecret = (config: { DATA_DIR: string; CONTENT_TOKEN_SECRET?: string | undefined }) =>
  config.CONTENT_TOKEN_SECRET ?? loadDevelopmentSecrets(developmentSecretsPath(config.DATA_DIR)).contentTokenSecret;

/** The access settings every API uses: configured values win over the development defaults. */
export const accessSettings = (config: {
  DATA_DIR: string;
  TOKEN_SECRET?: string | undefined;
  API_KEYS?: string | undefined;
}) => {
  const development =
    !config.TOKEN_SECRET || !config.API_KEYS
      ? loadDevelopmentSecrets(developmentSecretsPath(config.DATA_DIR))
      : undefined;
  return {
    tokenSecret: config.TOKEN_SECRET ?? (development as DevelopmentSecrets).tokenSecret,
    apiKeys: parseApiKeys(
      config.API_KEYS ??
        `content:content:${(development as DevelopmentSecrets).contentKey},analyst:analyst:${(development as DevelopmentSecrets).analystKey}`,
    ),
    development,
  };
};
