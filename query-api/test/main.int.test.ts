import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signContentToken } from '@marquee/platform';
import { spawnTsx } from '@marquee/platform/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores, rebuildViews, writeSample } from './sample-platform';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Runs `src/main.ts` as `npm start` does, collecting its output lines. */
const start = (env: Record<string, string>) => {
  const service = spawnTsx('src/main.ts', [], { cwd: join(import.meta.dirname, '..'), env, name: 'the query API' });
  const { child, lines, exited } = service;
  started.push(child);
  const lineWith = (text: string) => service.waitForLine(text, 20_000);
  const listening = async () =>
    (JSON.parse(await lineWith('query API listening on')) as { msg: string }).msg.replace(
      'query API listening on ',
      '',
    );
  return { child, lines, exited, listening, lineWith };
};

describe('main.ts', () => {
  it('serves the views on the configured stores, and stops cleanly with exit 0 on SIGTERM', async () => {
    const stores = await openStores();
    await writeSample(stores.eventStore);
    await rebuildViews(stores);
    await stores.viewStore.close();
    await stores.checkpoints.close();
    await stores.eventStore.close();

    const service = start({
      EVENT_STORE_URL: `sqlite:${join(stores.dir, 'events.db')}`,
      VIEW_STORE_URL: `sqlite:${join(stores.dir, 'views.db')}`,
      DATA_DIR: stores.dir,
      QUERY_API_PORT: '0',
      LOG_LEVEL: 'info',
    });
    const url = await service.listening();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // With nothing configured, the development secrets in the data folder are the keys.
    const { analystKey, contentTokenSecret } = JSON.parse(readFileSync(join(stores.dir, 'secrets.json'), 'utf8'));
    const top = await fetch(`${url}/stats/top-titles`, { headers: { 'x-api-key': analystKey } });
    expect(top.status).toBe(200);
    expect(((await top.json()) as { items: { titleId: string }[] }).items[0]?.titleId).toBe('t-atlas');
    // Steering checks content tokens with the secret the edges share, and answers from Redis.
    const { token } = signContentToken(
      contentTokenSecret,
      { titleId: 't-atlas', encodingId: 'e1' },
      { sessionId: 's1', maxHeight: null, region: null, pathways: [] },
      { ttlSeconds: 60 },
    );
    const steering = await fetch(`${url}/steering/${token}/t-atlas/e1`);
    expect(steering.status).toBe(200);
    expect(await steering.json()).toMatchObject({ TTL: 2, 'PATHWAY-PRIORITY': ['origin'] });

    // Logs are JSON with the request id, and never the key itself.
    const logged = JSON.parse(await service.lineWith('/stats/top-titles'));
    expect(logged).toMatchObject({ name: 'query-api', req: { id: expect.any(String) } });
    expect(service.lines.join('\n')).not.toContain(analystKey);

    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(0);
    expect(service.lines.some((l) => l.includes('query API stopped'))).toBe(true);
  });

  it('refuses a bad setting at start, naming the variable', async () => {
    const service = start({ READY_MAX_LAG: '-1', STEERING_TTL_SECONDS: '0', QUERY_API_PORT: '0' });
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.lines.join('\n')).toMatch(/READY_MAX_LAG: /);
    expect(service.lines.join('\n')).toMatch(/STEERING_TTL_SECONDS: /);
  });
});
