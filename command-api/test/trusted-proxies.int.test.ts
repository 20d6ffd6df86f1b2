/**
 * TRUST_PROXY: whose X-Forwarded-For the login rate limit believes. The test connects from
 * different loopback addresses (all of 127.0.0.0/8 is this machine) to play a trusted proxy and a
 * peer that is not one.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type CommandApi, startCommandApi } from './command-platform';

const proxy = '127.0.0.2';
const stranger = '127.0.0.3';

/** A wrong login sent from `localAddress`, claiming to forward for `forwardedFor`; its status. */
const logInFrom = (api: CommandApi, localAddress: string, forwardedFor: string) =>
  new Promise<number>((resolve, reject) => {
    const sent = request(
      `${api.url}/login`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode ?? 0);
      },
    );
    sent.on('error', reject);
    sent.end(JSON.stringify({ email: 'x@example.com', password: 'wrong one' }));
  });

describe('trusted proxies', () => {
  it('gives each viewer behind a trusted proxy a bucket of their own', async () => {
    const api = await startCommandApi({ rateLimits: { logInsPerMinute: 2 }, trustProxy: `${proxy}, 10.0.0.0/8` });
    try {
      const viewer = '203.0.113.7';
      expect([
        await logInFrom(api, proxy, viewer),
        await logInFrom(api, proxy, viewer),
        await logInFrom(api, proxy, viewer),
      ]).toEqual([401, 401, 429]);
      expect(await logInFrom(api, proxy, '198.51.100.20')).toBe(401);
      // The player's proxy appends the peer it saw, so what a viewer wrote before it is not believed.
      expect(await logInFrom(api, proxy, `192.0.2.1, ${viewer}`)).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy, even on loopback', async () => {
    const api = await startCommandApi({ rateLimits: { logInsPerMinute: 2 }, trustProxy: proxy });
    try {
      const spoofed = [];
      for (const claimed of ['192.0.2.10', '192.0.2.11', '192.0.2.12'])
        spoofed.push(await logInFrom(api, stranger, claimed));
      expect(spoofed).toEqual([401, 401, 429]);
      // The proxy's viewers are counted apart from that peer.
      expect(await logInFrom(api, proxy, '192.0.2.10')).toBe(401);
    } finally {
      await api.close();
    }
  });
});
