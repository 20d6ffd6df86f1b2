import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamName } from '@marquee/domain';
import { type EventStore, openEventStore } from '@marquee/platform';
import { Redis } from 'ioredis';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  contentKey,
  eventTypes,
  freshRedisPrefix,
  redisUrl,
  removeRedisKeys,
  tokenSecret,
} from './command-platform';
import { makeTestMedia, type TestMedia } from './uploads/test-media';

/*
 * Two command API processes, as a scaled compose service runs them, on the same event store,
 * view store, data folder and Redis, with requests spread across both: a retried request and a
 * resumed upload are each handled once, whichever instance each attempt reaches.
 */

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const keyPrefix = freshRedisPrefix();
const children: ChildProcess[] = [];
let dir: string;
let urls: string[];
let eventStore: EventStore;
let media: TestMedia;

const freePort = async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
};

const startInstance = async (env: Record<string, string>) => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, ...env, COMMAND_API_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return url;
    if (child.exitCode !== null) throw new Error(`the command API exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the command API did not get ready in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'marquee-two-apis-'));
  const env = {
    EVENT_STORE_URL: `sqlite:${join(dir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dir, 'views.db')}`,
    DATA_DIR: dir,
    REDIS_URL: redisUrl,
    COMMAND_API_REDIS_PREFIX: keyPrefix,
    TOKEN_SECRET: tokenSecret,
    API_KEYS: `studio:content:${contentKey}`,
    SIGNUP_RATE_LIMIT_PER_MINUTE: '1000',
  };
  [urls, media] = await Promise.all([Promise.all([startInstance(env), startInstance(env)]), makeTestMedia()]);
  eventStore = await openEventStore(env.EVENT_STORE_URL);
}, 60_000);

afterAll(async () => {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }),
  );
  await eventStore?.close();
  const redis = new Redis(redisUrl);
  await removeRedisKeys(redis, keyPrefix);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
  if (media) await rm(media.directory, { recursive: true, force: true });
});

const instance = (i: number) => urls[i % urls.length] as string;

const post = async (url: string, path: string, body: unknown, headers: Record<string, string>) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const answer: Answer = { status: response.status, body: await response.json(), headers: response.headers };
  return { ...answer, replayed: response.headers.has('idempotent-replayed') };
};

const eventsOf = (stream: string) => eventTypes(eventStore, stream);

/** Sends the same keyed request N times at once, spread over both instances, then retries each told to wait. */
const concurrentRetries = async (n: number, path: string, body: unknown, headers: Record<string, string>) => {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => post(instance(i), path, body, headers)));
  for (const [i, answer] of answers.entries()) {
    expect([200, 201, 409]).toContain(answer.status);
    while (answers[i]?.status === 409) {
      expect(answers[i]?.body.error).toBe('IdempotencyKeyInUse');
      await new Promise((resolve) => setTimeout(resolve, 50));
      answers[i] = await post(instance(i + 1), path, body, headers);
    }
  }
  return answers;
};

describe('two command API instances', () => {
  it('run N concurrent retries of one sign-up once: one account, one token, whichever instance answers', async () => {
    const email = `twice-${Math.random().toString(36).slice(2)}@example.com`;
    const body = { email, password: 'a long enough password', plan: 'basic' };
    const answers = await concurrentRetries(8, '/accounts', body, { 'idempotency-key': `signup-${Date.now()}` });

    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    const [first] = answers;
    for (const answer of answers) expect(answer.body).toEqual(first?.body);
    expect(await eventsOf(streamName('account', first?.body.accountId))).toEqual([
      'AccountRegistered',
      'SubscriptionStarted',
    ]);
  });

  it('run N concurrent retries of one title creation once: one event', async () => {
    const title = { name: 'Twice', synopsis: 'A title.', genres: ['drama'], year: 2020, maturityRating: '13+' };
    const answers = await concurrentRetries(8, '/titles', title, {
      'idempotency-key': `title-${Date.now()}`,
      'x-api-key': contentKey,
    });

    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    const titleIds = new Set(answers.map((answer) => answer.body.titleId));
    expect(titleIds.size).toBe(1);
    expect(await eventsOf(streamName('title', [...titleIds][0]))).toEqual(['TitleCreated']);
  });

  it('completes a tus upload started on one instance and resumed on the other, once', async () => {
    const title = { name: 'Resumed', synopsis: 'A title.', genres: ['drama'], year: 2020, maturityRating: '13+' };
    const created = await post(instance(0), '/titles', title, { 'x-api-key': contentKey });
    const titleId = created.body.titleId as string;
    const file = await readFile(media.clip);
    const options = {
      headers: { 'x-api-key': contentKey },
      metadata: { filename: 'clip.mp4', titleId },
      chunkSize: Math.ceil(file.length / 3),
      retryDelays: null,
      storeFingerprintForResuming: false,
    };

    // The first third reaches instance 0, then the client stops (a dropped link, a closed laptop).
    const uploadUrl = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(file, {
        ...options,
        endpoint: `${instance(0)}/titles/uploads`,
        onChunkComplete: () => {
          upload.abort().then(() => resolve(upload.url as string), reject);
        },
        onError: reject,
      });
      upload.start();
    });
    expect(uploadUrl.startsWith(instance(0))).toBe(true);

    // The rest goes to instance 1, which learns where the upload got to from the shared store.
    const resumedUrl = uploadUrl.replace(instance(0), instance(1));
    const head = await fetch(resumedUrl, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', 'x-api-key': contentKey },
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('upload-offset'))).toBe(options.chunkSize);
    // What instance 1 knows of it is in Redis, not on a disk only instance 0 sees.
    const redis = new Redis(redisUrl);
    expect(await redis.exists(`${keyPrefix}tus-upload:${uploadUrl.split('/').pop()}`)).toBe(1);
    await redis.quit();
    await new Promise<void>((resolve, reject) => {
      const upload = new tus.Upload(file, {
        ...options,
        uploadUrl: resumedUrl,
        onSuccess: () => resolve(),
        onError: reject,
      });
      upload.start();
    });

    const uploadId = uploadUrl.split('/').pop();
    expect(await eventsOf(streamName('title', titleId))).toEqual(['TitleCreated', 'SourceUploaded']);
    const events = [];
    for await (const event of eventStore.readStream(streamName('title', titleId))) events.push(event);
    expect(events[1]?.data).toMatchObject({
      uploadId,
      sizeBytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
  });
});
