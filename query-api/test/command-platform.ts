import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCommandApp, openSharedState } from '@marquee/command-api';
import { createAggregateCache, createLogger, type EdgeHealth } from '@marquee/platform';
import { liveTargets, runProjections } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { apiKeys, contentTokenSecret, redisUrl, type Stores, tokenSecret } from './sample-platform';

/*
 * The command API in process on a test's stores, as main.ts builds it, so a test can act as
 * viewers do (sign up, start and stop playback) and read what they caused through the query API.
 */

// biome-ignore lint/suspicious/noExplicitAny: each test asserts the fields it reads.
export type CommandAnswer = { status: number; body: any };

export const serveCommands = async (stores: Stores, edgeHealth: EdgeHealth) => {
  const logger = createLogger('command-api', 'silent');
  // Its own shared state: the app's upload locker holds a connection until this one ends.
  const shared = openSharedState({
    redisUrl,
    keyPrefix: `marquee-test:query-commands-${Math.random().toString(36).slice(2)}:`,
    logger,
  });
  const app = createCommandApp(
    {
      eventStore: stores.eventStore,
      viewStore: stores.viewStore,
      edgeHealth,
      access: { tokenSecret, apiKeys },
      contentTokens: { secret: contentTokenSecret, ttlSeconds: 600 },
      originUrl: 'http://127.0.0.1:8100',
      uploads: { directory: join(stores.dir, 'uploads'), maxBytes: 1_000_000, expiryMs: 3600 * 1000 },
      passwordCost: 14,
      aggregates: createAggregateCache(),
      now: () => new Date(),
    },
    {
      logger,
      rateLimits: { logInsPerMinute: 1_000_000, signUpsPerMinute: 1_000_000 },
      shared,
      answerTtlMs: 3600 * 1000,
      validateResponses: true,
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<CommandAnswer> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const post = (path: string, token: string | null, body: unknown = {}) =>
    send('POST', path, token ? { authorization: `Bearer ${token}` } : {}, body);
  return {
    send,
    post,
    /** A viewer signed up through the API, with a premium plan and one profile. */
    signUp: async () => {
      const signedUp = await post('/accounts', null, {
        email: `viewer-${Math.random().toString(36).slice(2)}@example.com`,
        password: 'a long enough password',
        plan: 'premium',
      });
      if (signedUp.status !== 201) throw new Error(`sign-up answered ${signedUp.status}`);
      const token = signedUp.body.token as string;
      const profile = await post(`/accounts/${signedUp.body.accountId}/profiles`, token, { name: 'Ada' });
      return { token, profileId: profile.body.profileId as string };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await shared.close();
    },
  };
};

/** The projections runner caught up with the log, as the live service would be. */
export const project = async (stores: Stores) => {
  const targets = await liveTargets({ ...stores, projections: allProjections });
  await runProjections({ ...stores, targets });
};
