import { describe, expect, it } from 'vitest';
import { type DeliveryEvent, initialFailover, recordDelivery } from '../src/app/watch/failover-tracking';
import { mostUsedEdge } from '../src/app/watch/qoe';

const edgeA = { serviceLocation: 'edge-a', edgeId: 'a' };
const edgeB = { serviceLocation: 'edge-b', edgeId: 'b' };
const origin = { serviceLocation: 'origin', edgeId: null };
const fold = (events: DeliveryEvent[]) => events.reduce(recordDelivery, initialFailover);
const answer = (place: typeof edgeA | typeof origin, atMs: number, bytes = 1000): DeliveryEvent => ({
  type: 'response-received',
  place,
  bytes,
  atMs,
});

describe('failover tracking', () => {
  it('the first place to answer is serving, and that is not a failover', () => {
    const state = fold([answer(edgeA, 100), answer(edgeA, 200)]);
    expect(state).toMatchObject({ servingLocation: 'edge-a', failovers: 0, lastFailoverMs: null });
  });

  it('a move to another place counts once, timed from when the first failed request was sent', () => {
    const state = fold([
      answer(edgeA, 100),
      { type: 'request-failed', sentAtMs: 1000 },
      { type: 'request-failed', sentAtMs: 1300 }, // a retry: the wait began with the first
      { type: 'place-abandoned', serviceLocation: 'edge-a' },
      answer(edgeB, 1750),
      answer(edgeB, 2000),
    ]);
    expect(state).toMatchObject({
      servingLocation: 'edge-b',
      failovers: 1,
      lastFailoverMs: 750,
      failingSinceMs: null,
      failedLocations: ['edge-a'],
    });
  });

  it('a failure the same place recovers from is no failover, and the next move is timed afresh', () => {
    const state = fold([
      answer(edgeA, 100),
      { type: 'request-failed', sentAtMs: 500 },
      answer(edgeA, 900),
      { type: 'request-failed', sentAtMs: 5000 },
      answer(origin, 9000),
    ]);
    expect(state).toMatchObject({ servingLocation: 'origin', failovers: 1, lastFailoverMs: 4000 });
  });

  it('a move without a failure before it (dash.js chose another place) counts, with the last timing kept', () => {
    const state = fold([
      answer(edgeA, 0),
      { type: 'request-failed', sentAtMs: 10 },
      answer(edgeB, 60),
      answer(edgeA, 90),
    ]);
    expect(state).toMatchObject({ servingLocation: 'edge-a', failovers: 2, lastFailoverMs: 50 });
  });

  it('lists each abandoned place once, in the order given up on', () => {
    const state = fold([
      { type: 'place-abandoned', serviceLocation: 'edge-a' },
      { type: 'place-abandoned', serviceLocation: 'edge-b' },
      { type: 'place-abandoned', serviceLocation: 'edge-a' },
    ]);
    expect(state.failedLocations).toEqual(['edge-a', 'edge-b']);
  });

  it('counts the bytes each place sent, so the QoE goes to the one that sent most (null: the origin)', () => {
    const state = fold([answer(edgeA, 0, 500), answer(origin, 1, 2000), answer(edgeA, 2, 1000), answer(edgeB, 3, 10)]);
    expect([...state.bytesByEdge]).toEqual([
      ['a', 1500],
      [null, 2000],
      ['b', 10],
    ]);
    expect(mostUsedEdge(state.bytesByEdge)).toBeNull();
    expect(mostUsedEdge(fold([answer(origin, 0, 10), answer(edgeB, 1, 20)]).bytesByEdge)).toBe('b');
  });

  it('never changes the state it was given', () => {
    const before = fold([answer(edgeA, 0)]);
    const copy = { ...before, bytesByEdge: new Map(before.bytesByEdge) };
    recordDelivery(before, answer(edgeB, 5));
    recordDelivery(before, { type: 'place-abandoned', serviceLocation: 'edge-a' });
    expect(before).toEqual(copy);
  });
});
