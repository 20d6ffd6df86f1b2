import { byteSize, readConfig } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import { edgeConfigSchema, fillWindow, isInsideWindow } from '../src/edge-config';

describe('configuration', () => {
  it('reads capacities with or without a unit, and refuses nonsense', () => {
    expect(byteSize.parse('500000000')).toBe(500_000_000);
    expect(byteSize.parse('20GB')).toBe(20e9);
    expect(byteSize.parse('1.8MB')).toBe(1_800_000);
    expect(byteSize.parse('2GiB')).toBe(2 * 2 ** 30);
    expect(byteSize.parse('2TiB')).toBe(2 * 2 ** 40);
    for (const bad of ['', 'lots', '-5GB', '0', '5 parsecs']) expect(byteSize.safeParse(bad).success, bad).toBe(false);
  });
  it('knows whether a fill window is open, including one that crosses midnight', () => {
    const at = (hours: number, minutes = 0) => new Date(2026, 10, 24, hours, minutes);
    const day = fillWindow.parse('02:00-14:00');
    expect([at(1, 59), at(2), at(13, 59), at(14)].map((time) => isInsideWindow(day, time))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    const night = fillWindow.parse('22:00-06:00');
    expect([at(21), at(23), at(3), at(6)].map((time) => isInsideWindow(night, time))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(isInsideWindow(undefined, at(12))).toBe(true);
    for (const bad of ['2-14', '02:00', '25:00-03:00', '02:00-02:00'])
      expect(fillWindow.safeParse(bad).success, bad).toBe(false);
  });
  it('names the steering server and the origin a manifest points to, and refuses a URL that is not one', () => {
    const defaults = readConfig(edgeConfigSchema, {});
    expect(defaults.STEERING_URL).toBe('http://127.0.0.1:4002/steering');
    // Unset, the origin is its own URL and an edge assumes the local origin's (main.ts).
    expect(defaults.ORIGIN_URL).toBeUndefined();
    const set = readConfig(edgeConfigSchema, {
      ORIGIN_URL: 'https://origin.example',
      STEERING_URL: 'https://q.example/steering',
    });
    expect([set.ORIGIN_URL, set.STEERING_URL]).toEqual(['https://origin.example', 'https://q.example/steering']);
    expect(() => readConfig(edgeConfigSchema, { STEERING_URL: 'not a url' })).toThrow(/STEERING_URL/);
  });
  it('fills every publish unless told otherwise, and refuses a fill policy it does not know', () => {
    const defaults = readConfig(edgeConfigSchema, {});
    expect([defaults.FILL_POLICY, defaults.FILL_ON_DEMAND]).toEqual(['fill-all', true]);
    expect([defaults.POPULARITY_HALF_LIFE_HOURS, defaults.NEW_RELEASE_PLAYS]).toEqual([72, 3]);
    const set = readConfig(edgeConfigSchema, {
      FILL_POLICY: 'popularity',
      FILL_ON_DEMAND: '0',
      POPULARITY_HALF_LIFE_HOURS: '24',
      NEW_RELEASE_PLAYS: '0',
    });
    expect([set.FILL_POLICY, set.FILL_ON_DEMAND, set.POPULARITY_HALF_LIFE_HOURS, set.NEW_RELEASE_PLAYS]).toEqual([
      'popularity',
      false,
      24,
      0,
    ]);
    expect(() => readConfig(edgeConfigSchema, { FILL_POLICY: 'random' })).toThrow(/FILL_POLICY/);
    expect(() => readConfig(edgeConfigSchema, { FILL_ON_DEMAND: 'yes' })).toThrow(/FILL_ON_DEMAND/);
  });
});
