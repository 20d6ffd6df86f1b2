import { describe, expect, it } from 'vitest';
import { decideRestart } from '../restart-policy';

describe("npm start's restart policy", () => {
  it('restarts a service that died for the first time after a second', () => {
    expect(decideRestart([], 100_000, 5)).toEqual({ kind: 'restart', delayMs: 1_000, recentRestarts: 0 });
  });

  it('doubles the pause with each restart within the last minute', () => {
    const now = 100_000;
    expect(decideRestart([now - 5_000], now, 5)).toMatchObject({ kind: 'restart', delayMs: 2_000 });
    expect(decideRestart([now - 9_000, now - 5_000, now - 1_000], now, 5)).toMatchObject({
      kind: 'restart',
      delayMs: 8_000,
    });
  });

  it('forgets restarts older than a minute', () => {
    const now = 1_000_000;
    expect(decideRestart([now - 120_000, now - 61_000], now, 2)).toEqual({
      kind: 'restart',
      delayMs: 1_000,
      recentRestarts: 0,
    });
  });

  it('gives up when the service died as often as allowed within a minute', () => {
    const now = 100_000;
    const restarts = [now - 50_000, now - 40_000, now - 20_000];
    expect(decideRestart(restarts, now, 3)).toEqual({ kind: 'give-up', recentRestarts: 3 });
    expect(decideRestart([], now, 0)).toEqual({ kind: 'give-up', recentRestarts: 0 });
  });

  it('never waits longer than thirty seconds', () => {
    const now = 100_000;
    const restarts = Array.from({ length: 8 }, (_, i) => now - 59_000 + i);
    expect(decideRestart(restarts, now, 20)).toMatchObject({ kind: 'restart', delayMs: 30_000 });
  });
});
