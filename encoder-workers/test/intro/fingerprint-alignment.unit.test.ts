import { describe, expect, it } from 'vitest';
import { bitErrors, longestSharedRun } from '../../src/intro/fingerprint-alignment';

// A deterministic pseudo-random fingerprint (xorshift), so unrelated frames differ in ~16 bits.
const randomFrames = (count: number, seed: number) => {
  let x = seed >>> 0 || 1;
  return Uint32Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  });
};

describe('fingerprint alignment', () => {
  it('counts differing bits', () => {
    expect(bitErrors(0, 0xffffffff)).toBe(32);
    expect(bitErrors(0b1011, 0b0001)).toBe(2);
  });

  it('finds a shared stretch at its shift despite a few flipped bits', () => {
    const shared = randomFrames(80, 7);
    const a = Uint32Array.from([...randomFrames(10, 1), ...shared, ...randomFrames(50, 2)]);
    // b has the stretch 30 frames in, with three bits flipped in every frame.
    const b = Uint32Array.from([
      ...randomFrames(30, 3),
      ...shared.map((v) => (v ^ 0b10101) >>> 0),
      ...randomFrames(40, 4),
    ]);
    const run = longestSharedRun(a, b);
    expect(run).toMatchObject({ startA: 10, startB: 30 });
    // A window straddling the end may still agree: a frame or so of slack there.
    expect(Math.abs((run?.frames ?? 0) - 80)).toBeLessThanOrEqual(4);
  });

  it('finds nothing long in unrelated fingerprints', () => {
    const run = longestSharedRun(randomFrames(300, 5), randomFrames(300, 6));
    expect(run?.frames ?? 0).toBeLessThan(16);
  });
});
