import type { RecordedEvent } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import { catalogOf, emptyCatalog, evolveCatalog } from '../src/catalog-follower';
import { readCmcd } from '../src/cmcd';
import { pathwaysFor } from '../src/pathways';
import { createSessionFigures } from '../src/session-figures';

let position = 0;
const recorded = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({
    id: `event-${++position}`,
    stream: 'x',
    type,
    data: { at: '2026-11-30T06:00:00.000Z', ...data },
    metadata: {},
    revision: 0,
    position,
    createdAt: new Date('2026-11-30T06:00:00.000Z'),
  }) as unknown as RecordedEvent;

describe('the catalog a node follows', () => {
  it('withdraws a title its last event unpublished, and gives it back when it is published again', () => {
    const state = emptyCatalog();
    const catalog = catalogOf(state);
    const published = { titleId: 't1', encodingId: 'e1', manifestPath: 't1/e1/manifest.mpd' };
    evolveCatalog(state, recorded('TitlePublished', published));
    expect(catalog.isWithdrawn('t1')).toBe(false);
    evolveCatalog(state, recorded('TitleUnpublished', { titleId: 't1', encodingId: 'e1' }));
    expect(catalog.isWithdrawn('t1')).toBe(true);
    expect(catalog.isWithdrawn('t2')).toBe(false);
    expect(catalog.publishedEncoding('t1')).toBeUndefined();
    evolveCatalog(state, recorded('TitlePublished', { ...published, encodingId: 'e2' }));
    expect(catalog.isWithdrawn('t1')).toBe(false);
    expect(catalog.publishedEncoding('t1')).toBe('e2');
  });
  it('fills the edge directory from EdgeRegistered, a later registration winning', () => {
    const state = emptyCatalog();
    const registered = (url: string) =>
      recorded('EdgeRegistered', {
        edgeId: 'edge-eu',
        url,
        region: 'eu',
        capacityBytes: 1000,
        upstream: 'http://127.0.0.1:8100',
      });
    evolveCatalog(state, registered('http://eu.example:8101'));
    expect(catalogOf(state).edgeUrl('edge-eu')).toBe('http://eu.example:8101');
    evolveCatalog(state, registered('http://eu2.example:8101'));
    expect(catalogOf(state).edgeUrl('edge-eu')).toBe('http://eu2.example:8101');
    expect(catalogOf(state).edgeUrl('edge-us')).toBeUndefined();
  });
});

describe("a session's pathways", () => {
  const claims = (pathways: string[]) => ({ expiresAt: 0, sessionId: 's', maxHeight: null, region: null, pathways });
  const directory = {
    self: { id: 'edge-us', url: 'http://us.example' },
    originUrl: 'http://origin.example',
    edgeUrl: (id: string) => ({ 'edge-eu': 'http://eu.example', 'edge-us': 'http://us.example' })[id],
  };
  it('puts the node answering first, then the steered edges it knows in their order, then the origin', () => {
    expect(pathwaysFor(claims(['edge-eu', 'edge-us', 'edge-gone']), directory)).toEqual([
      { id: 'edge-us', url: 'http://us.example' },
      { id: 'edge-eu', url: 'http://eu.example' },
      { id: 'origin', url: 'http://origin.example' },
    ]);
    const origin = { ...directory, self: { id: 'origin', url: 'http://origin.example' } };
    expect(pathwaysFor(claims(['edge-eu', 'origin']), origin).map((p) => p.id)).toEqual(['origin', 'edge-eu']);
  });
});

describe('CMCD', () => {
  it('reads the keys an edge keeps from the query (dash.js) or from the CMCD headers', () => {
    const query = `CMCD=${encodeURIComponent('bl=21300,br=3200,cid="t1",ot=v,sid="s-1",su')}`;
    expect(readCmcd(query, {})).toEqual({
      sessionId: 's-1',
      contentId: 't1',
      bitrateKbps: 3200,
      bufferMs: 21300,
      objectType: 'v',
    });
    expect(
      readCmcd('', {
        'cmcd-object': 'br=800,ot=a',
        'cmcd-request': 'bl=5000',
        'cmcd-session': 'cid="t2",sid="s-2"',
      }),
    ).toEqual({ sessionId: 's-2', contentId: 't2', bitrateKbps: 800, bufferMs: 5000, objectType: 'a' });
  });
  it('ignores a request without CMCD or with nonsense in it', () => {
    expect(readCmcd('', {})).toBeUndefined();
    expect(readCmcd('CMCD=%3D%3D%2C%2C', {})).toBeUndefined();
    expect(readCmcd('', { 'cmcd-request': '"unterminated' })).toBeUndefined();
  });
  it("keeps each session's figures, dropping the least recently seen past its bound", () => {
    let clock = 0;
    const sessions = createSessionFigures({ max: 2, now: () => new Date(Date.UTC(2026, 10, 30, 6, 0, clock++)) });
    sessions.request('s-1', { bitrateKbps: 800, bufferMs: 1000, contentId: 't1', objectType: 'v' })(1000);
    sessions.request('s-1', { bitrateKbps: 3200, bufferMs: 8000 })(4000);
    sessions.request('s-2', undefined)(10);
    expect(sessions.list()).toEqual([
      expect.objectContaining({ sessionId: 's-2', requests: 1, bytes: 10, lastBitrateKbps: null }),
      {
        sessionId: 's-1',
        contentId: 't1',
        requests: 2,
        bytes: 5000,
        lastBitrateKbps: 3200,
        lastBufferMs: 8000,
        lastObjectType: 'v',
        lastSeenAt: '2026-11-30T06:00:01.000Z',
      },
    ]);
    sessions.request('s-3', undefined);
    expect(sessions.list().map((s) => s.sessionId)).toEqual(['s-3', 's-2']);
  });
});
