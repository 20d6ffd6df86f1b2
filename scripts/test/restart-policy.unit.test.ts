import { describe, expect, it } from 'vitest';
import { decideRestart } from '../restart-policy';

describe("npm start's restart policy", () => {
  it('restarts a service that died for the first time after a second', () => {
    expect(decideRestart([], 100_000, { maxPerMinute: 5, firstDelayMs: 1_000 })).toEqual({
      kind: 'restart',
      delayMs: 1_000,
      recentRestarts: 0,
    });
  });

  it('doubles the pause with each restart within the last minute', () => {
    const now = 100_000;
    expect(decideRestart([now - 5_000], now, { maxPerMinute: 5, firstDelayMs: 1_000 })).toMatchObject({
      kind: 'restart',
      delayMs: 2_000,
    });
    expect(
      decideRestart([now - 9_000, now - 5_000, now - 1_000], now, { maxPerMinute: 5, firstDelayMs: 1_000 }),
    ).toMatchObject({
      kind: 'restart',
      delayMs: 8_000,
    });
  });

  it('forgets restarts older than a minute', () => {
    const now = 1_000_000;
    expect(decideRestart([now - 120_000, now - 61_000], now, { maxPerMinute: 2, firstDelayMs: 1_000 })).toEqual({
      kind: 'restart',
      delayMs: 1_000,
      recentRestarts: 0,
    });
  });

  it('gives up when the service died as often as allowed within a minute', () => {
    const now = 100_000;
    const restarts = [now - 50_000, now - 40_000, now - 20_000];
    expect(decideRestart(restarts, now, { maxPerMinute: 3, firstDelayMs: 1_000 })).toEqual({
      kind: 'give-up',
      recentRestarts: 3,
    });
    expect(decideRestart([], now, { maxPerMinute: 0, firstDelayMs: 1_000 })).toEqual({
      kind: 'give-up',
      recentRestarts: 0,
    });
  });

  it('starts from the pause it is given', () => {
    expect(decideRestart([], 100_000, { maxPerMinute: 5, firstDelayMs: 45_000 })).toMatchObject({ delayMs: 45_000 });
    expect(decideRestart([99_000], 100_000, { maxPerMinute: 5, firstDelayMs: 250 })).toMatchObject({ delayMs: 500 });
  });

  it('never waits longer than thirty seconds (or the first pause, if longer)', () => {
    const now = 100_000;
    const restarts = Array.from({ length: 8 }, (_, i) => now - 59_000 + i);
    expect(decideRestart(restarts, now, { maxPerMinute: 20, firstDelayMs: 1_000 })).toMatchObject({
      kind: 'restart',
      delayMs: 30_000,
    });
  });
});
