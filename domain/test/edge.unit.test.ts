import { describe, expect, it } from 'vitest';
import {
  type EdgeEvent,
  EdgeNotRegistered,
  EncodingNotHeld,
  edgeDecider,
  FillLargerThanEdge,
  FillNotStarted,
  freeBytes,
  InsufficientCapacity,
  InvalidEdgeConfig,
} from '../src';
import { foldEvents } from '../src/decider';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(edgeDecider);
const at = '2026-11-24T10:00:00.000Z';
const edgeId = 'edge-eu';
const config = { url: 'http://127.0.0.1:8101', region: 'eu', capacityBytes: 1000, upstream: 'http://127.0.0.1:8100' };
const content = { titleId: 't1', encodingId: 'e1' };
const registered: EdgeEvent = { type: 'EdgeRegistered', data: { edgeId, ...config, at } };
const fillStarted = (bytes = 600, titleId = 't1'): EdgeEvent => ({
  type: 'EdgeFillStarted',
  data: { edgeId, titleId, encodingId: 'e1', bytes, at },
});
const fillCompleted = (bytes = 600, titleId = 't1'): EdgeEvent => ({
  type: 'EdgeFillCompleted',
  data: { edgeId, titleId, encodingId: 'e1', bytes, seconds: 2, at },
});

describe('register', () => {
  it('registers an edge', () =>
    given([])
      .when({ type: 'RegisterEdge', edgeId, ...config, at })
      .then([registered]));
  it('registers again at every start without news when nothing changed', () =>
    given([registered])
      .when({ type: 'RegisterEdge', edgeId, ...config, at })
      .thenNothing());
  it('records a changed configuration', () =>
    given([registered])
      .when({ type: 'RegisterEdge', edgeId, ...config, capacityBytes: 2000, at })
      .then([{ type: 'EdgeRegistered', data: { edgeId, ...config, capacityBytes: 2000, at } }]));
  it('refuses a url that is not http', () =>
    given([])
      .when({ type: 'RegisterEdge', edgeId, ...config, url: 'ftp://x', at })
      .thenThrows(InvalidEdgeConfig, /url/));
  it('refuses an edge that is its own upstream', () =>
    given([])
      .when({ type: 'RegisterEdge', edgeId, ...config, upstream: config.url, at })
      .thenThrows(InvalidEdgeConfig, /own upstream/));
  it('refuses a capacity that is not a positive number of bytes', () =>
    given([])
      .when({ type: 'RegisterEdge', edgeId, ...config, capacityBytes: 0, at })
      .thenThrows(InvalidEdgeConfig));
  it('refuses an empty region', () =>
    given([])
      .when({ type: 'RegisterEdge', edgeId, ...config, region: ' ', at })
      .thenThrows(InvalidEdgeConfig));
});

describe('fill', () => {
  it('starts a fill that fits', () =>
    given([registered])
      .when({ type: 'StartFill', ...content, bytes: 600, at })
      .then([fillStarted()]));
  it('resumes a fill after a restart without a second start', () =>
    given([registered, fillStarted()])
      .when({ type: 'StartFill', ...content, bytes: 600, at })
      .thenNothing());
  it('refuses a fill that does not fit beside what is held, until something is evicted', () =>
    given([registered, fillStarted(600, 't0'), fillCompleted(600, 't0')])
      .when({ type: 'StartFill', ...content, bytes: 600, at })
      .thenThrows(InsufficientCapacity, /400 free/));
  it('refuses a fill larger than the whole edge', () =>
    given([registered])
      .when({ type: 'StartFill', ...content, bytes: 5000, at })
      .thenThrows(FillLargerThanEdge));
  it('refuses an edge that never registered', () =>
    given([])
      .when({ type: 'StartFill', ...content, bytes: 1, at })
      .thenThrows(EdgeNotRegistered));

  it('completes a fill', () =>
    given([registered, fillStarted()])
      .when({ type: 'CompleteFill', ...content, bytes: 600, seconds: 2, at })
      .then([fillCompleted()]));
  it('records how much of a fill was downloaded and how much reused from packages already held', () =>
    given([registered, fillStarted()])
      .when({ type: 'CompleteFill', ...content, bytes: 600, seconds: 2, downloadedBytes: 150, reusedBytes: 450, at })
      .then([
        {
          type: 'EdgeFillCompleted',
          data: { edgeId, ...content, bytes: 600, seconds: 2, downloadedBytes: 150, reusedBytes: 450, at },
        },
      ]));
  it('completes a fill once', () =>
    given([registered, fillStarted(), fillCompleted()])
      .when({ type: 'CompleteFill', ...content, bytes: 600, seconds: 2, at })
      .thenNothing());
  it('refuses to complete a fill never started', () =>
    given([registered])
      .when({ type: 'CompleteFill', ...content, bytes: 600, seconds: 2, at })
      .thenThrows(FillNotStarted));

  it('records a failed fill and frees its space', () => {
    given([registered, fillStarted()])
      .when({ type: 'FailFill', ...content, reason: 'sha256 mismatch on seg-1.m4s', at })
      .then([{ type: 'EdgeFillFailed', data: { edgeId, ...content, reason: 'sha256 mismatch on seg-1.m4s', at } }]);
    given([registered, fillStarted(), { type: 'EdgeFillFailed', data: { edgeId, ...content, reason: 'x', at } }])
      .when({ type: 'StartFill', ...content, bytes: 900, at })
      .then([fillStarted(900)]);
  });
  it('refuses to fail a fill never started', () =>
    given([registered])
      .when({ type: 'FailFill', ...content, reason: 'x', at })
      .thenThrows(FillNotStarted));
});

describe('a revision sharing files with the package before it', () => {
  // e1 (600 bytes) is held; its revision e2 (650 bytes) hard-links 500 of them: the disk holds 750.
  const revision = { titleId: 't1', encodingId: 'e2' };
  const revisionStarted: EdgeEvent = { type: 'EdgeFillStarted', data: { edgeId, ...revision, bytes: 150, at } };
  const revisionCompleted: EdgeEvent = {
    type: 'EdgeFillCompleted',
    data: {
      edgeId,
      ...revision,
      bytes: 650,
      seconds: 1,
      downloadedBytes: 150,
      reusedBytes: 500,
      shared: [{ encodingId: 'e1', bytes: 500 }],
      at,
    },
  };
  const bothHeld = [registered, fillStarted(), fillCompleted(), revisionStarted, revisionCompleted];

  it('records the whole package and what it shares with the held one', () =>
    given([registered, fillStarted(), fillCompleted(), revisionStarted])
      .when({
        type: 'CompleteFill',
        ...revision,
        bytes: 650,
        seconds: 1,
        downloadedBytes: 150,
        reusedBytes: 500,
        shared: [{ encodingId: 'e1', bytes: 500 }],
        at,
      })
      .then([revisionCompleted]));
  it('drops a share naming a package the edge does not hold', () =>
    given([registered, fillStarted(), fillCompleted(), revisionStarted])
      .when({
        type: 'CompleteFill',
        ...revision,
        bytes: 650,
        seconds: 1,
        shared: [{ encodingId: 'e9', bytes: 500 }],
        at,
      })
      .then([{ type: 'EdgeFillCompleted', data: { edgeId, ...revision, bytes: 650, seconds: 1, at } }]));
  it('moves the shared bytes to the revision: the edge holds what its disk uses', () => {
    const state = foldEvents(edgeDecider, bothHeld);
    if (state.status !== 'registered') throw new Error('not registered');
    expect(state.held).toEqual([
      { ...content, bytes: 100 },
      { ...revision, bytes: 650 },
    ]);
    expect(freeBytes(state)).toBe(1000 - 750);
  });
  it('evicting the old revision records only the bytes it alone holds, what removing it frees', () => {
    const removed: EdgeEvent = {
      type: 'EdgeEvicted',
      data: { edgeId, ...content, bytes: 100, reason: 'superseded', at },
    };
    given(bothHeld)
      .when({ type: 'EvictEncoding', ...content, reason: 'superseded', at })
      .then([removed]);
    const state = foldEvents(edgeDecider, [...bothHeld, removed]);
    if (state.status !== 'registered') throw new Error('not registered');
    expect(freeBytes(state)).toBe(1000 - 650);
    given([...bothHeld, removed])
      .when({ type: 'StartFill', titleId: 't2', encodingId: 'e1', bytes: 350, at })
      .then([fillStarted(350, 't2')]);
  });
  it('evicting the revision while the old one is held records what it frees, and leaves the old one its shared files', () => {
    const removed: EdgeEvent = {
      type: 'EdgeEvicted',
      data: { edgeId, ...revision, bytes: 150, reason: 'capacity', kept: [{ encodingId: 'e1', bytes: 500 }], at },
    };
    given(bothHeld)
      .when({ type: 'EvictEncoding', ...revision, reason: 'capacity', kept: [{ encodingId: 'e1', bytes: 500 }], at })
      .then([removed]);
    const state = foldEvents(edgeDecider, [...bothHeld, removed]);
    if (state.status !== 'registered') throw new Error('not registered');
    // The disk holds e1's 600 bytes again, and the edge says so.
    expect(state.held).toEqual([{ ...content, bytes: 600 }]);
    expect(freeBytes(state)).toBe(1000 - 600);
  });
  it('drops a kept share naming a package it does not hold, or the evicted one itself', () =>
    given(bothHeld)
      .when({
        type: 'EvictEncoding',
        ...revision,
        reason: 'capacity',
        kept: [
          { encodingId: 'e9', bytes: 500 },
          { encodingId: 'e2', bytes: 500 },
        ],
        at,
      })
      .then([{ type: 'EdgeEvicted', data: { edgeId, ...revision, bytes: 650, reason: 'capacity', at } }]));
  it('never records more kept than the evicted package held', () =>
    given(bothHeld)
      .when({ type: 'EvictEncoding', ...content, reason: 'capacity', kept: [{ encodingId: 'e2', bytes: 500 }], at })
      .then([
        {
          type: 'EdgeEvicted',
          data: { edgeId, ...content, bytes: 0, reason: 'capacity', kept: [{ encodingId: 'e2', bytes: 100 }], at },
        },
      ]));
});

describe('evict', () => {
  it('evicts a held encoding and frees its space', () => {
    const evicted: EdgeEvent = {
      type: 'EdgeEvicted',
      data: { edgeId, ...content, bytes: 600, reason: 'capacity', at },
    };
    given([registered, fillStarted(), fillCompleted()])
      .when({ type: 'EvictEncoding', ...content, reason: 'capacity', at })
      .then([evicted]);
    given([registered, fillStarted(), fillCompleted(), evicted])
      .when({ type: 'StartFill', titleId: 't2', encodingId: 'e1', bytes: 1000, at })
      .then([fillStarted(1000, 't2')]);
  });
  it('evicts a fill in progress when its title is unpublished', () =>
    given([registered, fillStarted()])
      .when({ type: 'EvictEncoding', ...content, reason: 'unpublished', at })
      .then([{ type: 'EdgeEvicted', data: { edgeId, ...content, bytes: 600, reason: 'unpublished', at } }]));
  it('records a superseded revision removed by the edge', () =>
    given([registered, fillStarted(), fillCompleted()])
      .when({ type: 'EvictEncoding', ...content, reason: 'superseded', at })
      .then([{ type: 'EdgeEvicted', data: { edgeId, ...content, bytes: 600, reason: 'superseded', at } }]));
  it('refuses to evict what the edge does not hold', () =>
    given([registered])
      .when({ type: 'EvictEncoding', ...content, reason: 'operator', at })
      .thenThrows(EncodingNotHeld));
});
