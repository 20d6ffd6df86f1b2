import { describe, expect, it } from 'vitest';
import { edgeHealthConfig, readConfig, recentlyHealthy, rememberHealthy } from '../src';

const at = (seconds: number) => Date.parse('2026-11-24T20:00:00.000Z') + seconds * 1000;
const status = (load: number) => ({ load, at: '2026-11-24T20:00:00.000Z' });
const staleMs = 30_000;

describe('edge health while Redis does not answer', () => {
  it('keeps the edges seen healthy within the staleness window, with what they last reported', () => {
    const seen = rememberHealthy(
      new Map(),
      ['eu', 'us'],
      new Map([
        ['eu', status(0.4)],
        ['us', status(0.1)],
      ]),
      at(0),
    );
    expect(recentlyHealthy(seen, ['eu', 'us'], at(30), staleMs)).toEqual(
      new Map([
        ['eu', status(0.4)],
        ['us', status(0.1)],
      ]),
    );
    expect(recentlyHealthy(seen, ['eu', 'us'], at(31), staleMs).size).toBe(0);
  });
  it('counts the window from the last answer that saw each edge alive', () => {
    let seen = rememberHealthy(
      new Map(),
      ['eu', 'us'],
      new Map([
        ['eu', status(0.4)],
        ['us', status(0.1)],
      ]),
      at(0),
    );
    seen = rememberHealthy(seen, ['us'], new Map([['us', status(0.3)]]), at(20));
    expect(recentlyHealthy(seen, ['eu', 'us'], at(40), staleMs)).toEqual(new Map([['us', status(0.3)]]));
  });
  it('forgets an edge Redis last answered dead, and knows nothing of an edge never asked about', () => {
    let seen = rememberHealthy(new Map(), ['eu'], new Map([['eu', status(0.4)]]), at(0));
    seen = rememberHealthy(seen, ['eu'], new Map(), at(5));
    expect(recentlyHealthy(seen, ['eu', 'never'], at(6), staleMs).size).toBe(0);
  });
  it('only looks at the edges asked about, and leaves what it was given unchanged', () => {
    const before = rememberHealthy(new Map(), ['eu'], new Map([['eu', status(0.4)]]), at(0));
    const after = rememberHealthy(before, ['eu', 'us'], new Map([['us', status(0.1)]]), at(1));
    expect([...before.keys()]).toEqual(['eu']);
    expect(recentlyHealthy(after, ['us'], at(2), staleMs)).toEqual(new Map([['us', status(0.1)]]));
  });
  it('reads the window from EDGE_HEALTH_STALE_SECONDS, 30 s unless set', () => {
    expect(readConfig(edgeHealthConfig, {})).toEqual({ EDGE_HEALTH_STALE_SECONDS: 30 });
    expect(readConfig(edgeHealthConfig, { EDGE_HEALTH_STALE_SECONDS: '5' })).toEqual({ EDGE_HEALTH_STALE_SECONDS: 5 });
    expect(() => readConfig(edgeHealthConfig, { EDGE_HEALTH_STALE_SECONDS: 'soon' })).toThrow(
      /EDGE_HEALTH_STALE_SECONDS/,
    );
  });
});
