import { describe, expect, it } from 'vitest';
import { initialQoe, mostUsedEdge, type QoeEvent, recordQoe, summarizeQoe } from '../src/app/watch/qoe';

const fold = (events: QoeEvent[]) => events.reduce(recordQoe, initialQoe);

/** Time updates every 250 ms of playback from `from` to `to` seconds, starting at `atMs`. */
const playing = (from: number, to: number, atMs: number): QoeEvent[] => {
  const events: QoeEvent[] = [];
  for (let position = from, at = atMs; position <= to + 1e-9; position += 0.25, at += 250)
    events.push({ type: 'time-updated', atMs: at, positionSeconds: position });
  return events;
};

describe('QoE', () => {
  it('startup is the wait from the start of loading to the first frame', () => {
    const qoe = fold([
      { type: 'load-started', atMs: 1000 },
      { type: 'waiting', atMs: 1200 },
      { type: 'playing', atMs: 1850 },
    ]);
    expect(summarizeQoe(qoe, 5000)).toMatchObject({ startupMs: 850, rebufferCount: 0, rebufferMs: 0 });
  });

  it('a session that never started waited until now', () => {
    expect(summarizeQoe(fold([{ type: 'load-started', atMs: 1000 }]), 4000).startupMs).toBe(3000);
  });

  it('counts each stall after startup and how long it lasted, including one still going on', () => {
    const qoe = fold([
      { type: 'load-started', atMs: 0 },
      { type: 'playing', atMs: 500 },
      { type: 'waiting', atMs: 10_000 },
      { type: 'waiting', atMs: 10_100 }, // the same stall, reported twice
      { type: 'playing', atMs: 11_500 },
      { type: 'waiting', atMs: 20_000 },
    ]);
    expect(summarizeQoe(qoe, 20_400)).toMatchObject({ rebufferCount: 2, rebufferMs: 1500 + 400 });
  });

  it('a wait caused by a seek is not a stall; a pause ends one', () => {
    const qoe = fold([
      { type: 'load-started', atMs: 0 },
      { type: 'playing', atMs: 100 },
      { type: 'seeking', atMs: 5000 },
      { type: 'waiting', atMs: 5001 },
      { type: 'seeked', atMs: 5600 },
      { type: 'playing', atMs: 5700 },
      { type: 'waiting', atMs: 9000 },
      { type: 'paused', atMs: 9300 },
    ]);
    expect(summarizeQoe(qoe, 60_000)).toMatchObject({ rebufferCount: 1, rebufferMs: 300 });
  });

  it('the average bitrate is weighted by the seconds watched at each, and switches are counted', () => {
    const qoe = fold([
      { type: 'load-started', atMs: 0 },
      { type: 'quality-rendered', atMs: 10, kbps: 300 },
      { type: 'playing', atMs: 100 },
      ...playing(0, 4, 100),
      { type: 'quality-rendered', atMs: 4200, kbps: 2500 },
      ...playing(4, 16, 4200).slice(1),
      { type: 'quality-rendered', atMs: 16_300, kbps: 2500 }, // the same rung again: no switch
    ]);
    const report = summarizeQoe(qoe, 17_000);
    expect(report.watchedSeconds).toBe(16);
    expect(report.switches).toBe(1);
    expect(report.averageBitrateKbps).toBeCloseTo((300 * 4 + 2500 * 12) / 16, 1);
  });

  it('a seek forward is not seconds watched', () => {
    const qoe = fold([
      { type: 'load-started', atMs: 0 },
      { type: 'playing', atMs: 0 },
      ...playing(0, 2, 0),
      { type: 'seeking', atMs: 2100 },
      { type: 'time-updated', atMs: 2200, positionSeconds: 600 },
      { type: 'seeked', atMs: 2300 },
      ...playing(600, 601, 2400),
    ]);
    expect(summarizeQoe(qoe, 5000).watchedSeconds).toBe(3);
  });

  it('without watched seconds the bitrate is the one on screen', () => {
    const qoe = fold([{ type: 'quality-rendered', atMs: 0, kbps: 700 }]);
    expect(summarizeQoe(qoe, 1).averageBitrateKbps).toBe(700);
  });

  it('stays within what the command API accepts', () => {
    const report = summarizeQoe(fold([{ type: 'load-started', atMs: 0 }]), 10_000_000);
    expect(report.startupMs).toBe(600_000);
  });
});

describe('the edge QoE is filed under', () => {
  it('is the place that sent the most bytes; null is the origin', () => {
    expect(
      mostUsedEdge(
        new Map<string | null, number>([
          ['edge-a', 1000],
          ['edge-b', 5000],
          [null, 200],
        ]),
      ),
    ).toBe('edge-b');
    expect(mostUsedEdge(new Map([[null, 10]]))).toBeNull();
    expect(mostUsedEdge(new Map())).toBeNull();
  });
});
