import { describe, expect, it } from 'vitest';
import {
  firstContentToken,
  heartbeatDelayMs,
  maxHeartbeatIntervalMs,
  minHeartbeatIntervalMs,
  nativeSourceDue,
  renewContentToken,
} from '../src/app/watch/token-renewal';

const at = (iso: string) => Date.parse(iso);

describe('heartbeats, paced by the content token', () => {
  it('come at least every third of the token life, so a six-second token is renewed twice before it ends', () => {
    const now = at('2026-11-30T07:00:00Z');
    expect(heartbeatDelayMs(now + 6_000, now)).toBe(2_000);
    expect(heartbeatDelayMs(now + 9_000, now)).toBe(3_000);
  });

  it('never wait more than ten seconds (the stream slot needs them too), however long the token lasts', () => {
    const now = at('2026-11-30T07:00:00Z');
    expect(heartbeatDelayMs(now + 900_000, now)).toBe(maxHeartbeatIntervalMs);
  });

  it('come faster as a token that was not renewed nears its end, but never in a flood', () => {
    const now = at('2026-11-30T07:00:00Z');
    expect(heartbeatDelayMs(now + 4_500, now)).toBe(1_500);
    expect(heartbeatDelayMs(now + 500, now)).toBe(minHeartbeatIntervalMs);
    expect(heartbeatDelayMs(now - 5_000, now)).toBe(minHeartbeatIntervalMs);
    expect(heartbeatDelayMs(Number.NaN, now)).toBe(maxHeartbeatIntervalMs);
  });
});

describe('a heartbeat answer', () => {
  const first = firstContentToken('t-1', '2026-11-30T07:00:06Z');

  it('with a fresh token makes it the one every later request carries, and counts the renewal', () => {
    const renewed = renewContentToken(first, { token: 't-2', tokenExpiresAt: '2026-11-30T07:00:08Z' });
    expect(renewed).toEqual({ token: 't-2', expiresAtMs: at('2026-11-30T07:00:08Z'), renewals: 1 });
    expect(renewContentToken(renewed, { token: 't-3', tokenExpiresAt: '2026-11-30T07:00:10Z' }).renewals).toBe(2);
  });

  it('without one, with the same one or with a date that does not parse changes nothing', () => {
    expect(renewContentToken(first, {})).toBe(first);
    expect(renewContentToken(first, { token: 't-1', tokenExpiresAt: '2026-11-30T07:00:09Z' })).toBe(first);
    expect(renewContentToken(first, { token: 't-2', tokenExpiresAt: 'soon' })).toBe(first);
  });
});

describe('native HLS moves to the fresh token', () => {
  const now = at('2026-11-30T07:00:04Z');
  const freshest = { token: 't-3', expiresAtMs: at('2026-11-30T07:00:10Z'), renewals: 2 };

  it('when the token its source carries would run out before the next heartbeat (and half a beat more)', () => {
    expect(
      nativeSourceDue({
        inUseToken: 't-1',
        inUseExpiresAtMs: at('2026-11-30T07:00:06Z'),
        freshest,
        nextHeartbeatInMs: 2_000,
        nowMs: now,
      }),
    ).toBe(true);
  });

  it('not before: each move reloads the source, so it is put off while it is safe', () => {
    expect(
      nativeSourceDue({
        inUseToken: 't-1',
        inUseExpiresAtMs: at('2026-11-30T07:00:08Z'),
        freshest,
        nextHeartbeatInMs: 2_000,
        nowMs: now,
      }),
    ).toBe(false);
  });

  it('never to the token it already has', () => {
    expect(
      nativeSourceDue({
        inUseToken: 't-3',
        inUseExpiresAtMs: freshest.expiresAtMs,
        freshest,
        nextHeartbeatInMs: 2_000,
        nowMs: at('2026-11-30T07:00:09Z'),
      }),
    ).toBe(false);
  });

  it('about once per token life with a six-second token: renewed every two seconds, moved every four', () => {
    // Heartbeats at 2, 4, 6, 8 s, each bringing a token good for six seconds from then.
    let inUse = { token: 't-0', expiresAtMs: 6_000 };
    const moves: number[] = [];
    for (const beat of [2_000, 4_000, 6_000, 8_000, 10_000, 12_000]) {
      const fresh = { token: `t-${beat}`, expiresAtMs: beat + 6_000, renewals: beat / 2_000 };
      const due = nativeSourceDue({
        inUseToken: inUse.token,
        inUseExpiresAtMs: inUse.expiresAtMs,
        freshest: fresh,
        nextHeartbeatInMs: heartbeatDelayMs(fresh.expiresAtMs, beat),
        nowMs: beat,
      });
      if (due) {
        moves.push(beat);
        inUse = fresh;
      }
      expect(inUse.expiresAtMs).toBeGreaterThan(beat + 2_000);
    }
    expect(moves).toEqual([4_000, 8_000, 12_000]);
  });
});
