import { ServingReported } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { createServingTally, recordServed, type ServedRequest, servingFigures } from '../src/serving-tally';

const viewer = (overrides: Partial<ServedRequest> = {}): ServedRequest => ({
  titleId: 't1',
  encodingId: 'e1',
  file: 'segment-v720-00001.m4s',
  status: 'hit',
  client: 'viewer',
  sessionId: 's1',
  region: 'eu',
  bytes: 1000,
  ...overrides,
});
const fill = (overrides: Partial<ServedRequest> = {}) =>
  viewer({ client: 'edge', sessionId: null, region: null, ...overrides });

const tallyOf = (requests: ServedRequest[]) => {
  const tally = createServingTally();
  for (const request of requests) recordServed(tally, request);
  return tally;
};

describe('counting what a node served in an interval', () => {
  it('sums requests into one row per title, encoding, rung, status and client', () => {
    const { rows } = servingFigures(
      tallyOf([
        viewer(),
        viewer({ file: 'segment-v720-00002.m4s', bytes: 500 }),
        viewer({ status: 'miss', bytes: 300 }),
        fill({ bytes: 2000 }),
        viewer({ file: 'segment-v360-00001.m4s', bytes: 100 }),
      ]),
    );
    expect(rows).toEqual([
      { titleId: 't1', encodingId: 'e1', rung: 720, status: 'hit', client: 'edge', requests: 1, bytes: 2000 },
      { titleId: 't1', encodingId: 'e1', rung: 720, status: 'hit', client: 'viewer', requests: 2, bytes: 1500 },
      { titleId: 't1', encodingId: 'e1', rung: 720, status: 'miss', client: 'viewer', requests: 1, bytes: 300 },
      { titleId: 't1', encodingId: 'e1', rung: 360, status: 'hit', client: 'viewer', requests: 1, bytes: 100 },
    ]);
  });

  it("reads a video file's rung from the encoder's names; other files have none", () => {
    const rungOf = (file: string) => servingFigures(tallyOf([viewer({ file })])).rows[0]?.rung;
    expect(rungOf('init-v1080.m4s')).toBe(1080);
    expect(rungOf('segment-v2160-00042.m4s')).toBe(2160);
    expect(rungOf('media-v480.m3u8')).toBe(480);
    expect(rungOf('video/segment-v720-00001.m4s')).toBe(720);
    for (const file of [
      'segment-a0-00001.m4s',
      'init-a1.m4s',
      'manifest.mpd',
      'master.m3u8',
      'poster.jpg',
      'sub-en.vtt',
    ])
      expect(rungOf(file)).toBeNull();
  });

  it("keeps each viewer session's requests, hit and miss bytes and region; another node's requests are no session", () => {
    const { sessions } = servingFigures(
      tallyOf([
        viewer(),
        viewer({ status: 'miss', bytes: 400 }),
        viewer({ status: 'refused', bytes: 0 }),
        viewer({ sessionId: 's2', region: null, titleId: 't2', bytes: 50 }),
        fill({ bytes: 9999 }),
      ]),
    );
    expect(sessions).toEqual([
      { sessionId: 's1', titleId: 't1', encodingId: 'e1', region: 'eu', requests: 3, hitBytes: 1000, missBytes: 400 },
      { sessionId: 's2', titleId: 't2', encodingId: 'e1', region: null, requests: 1, hitBytes: 50, missBytes: 0 },
    ]);
  });

  it('keeps the largest rows and sessions within the caps and sums the rest, so the totals stay exact', () => {
    const requests = Array.from({ length: 30 }, (_, i) =>
      viewer({ titleId: `t${i}`, sessionId: `s${i}`, bytes: (i + 1) * 10 }),
    );
    const figures = servingFigures(tallyOf(requests), { rows: 10, sessions: 5 });
    expect(figures.rows).toHaveLength(10);
    expect(figures.rows[0]).toMatchObject({ titleId: 't29', bytes: 300 });
    expect(figures.sessions.map((session) => session.sessionId)).toEqual(['s29', 's28', 's27', 's26', 's25']);
    expect(figures.overflow).toEqual({
      rows: 20,
      sessions: 25,
      requests: 20,
      bytes: Array.from({ length: 20 }, (_, i) => (i + 1) * 10).reduce((a, b) => a + b, 0),
    });
    const bytesInRows = figures.rows.reduce((sum, row) => sum + row.bytes, 0);
    expect(bytesInRows + figures.overflow.bytes).toBe(requests.reduce((sum, r) => sum + r.bytes, 0));
  });

  it('fits the default caps into a valid ServingReported however many viewers there were', () => {
    const tally = tallyOf(
      Array.from({ length: 3000 }, (_, i) => viewer({ titleId: `t${i % 700}`, sessionId: `s${i}`, bytes: i })),
    );
    const figures = servingFigures(tally);
    expect(figures.rows).toHaveLength(500);
    expect(figures.sessions).toHaveLength(1000);
    expect(figures.overflow).toMatchObject({ rows: 200, sessions: 2000 });
    const report = {
      nodeId: 'edge-1',
      role: 'edge',
      region: 'eu',
      intervalStart: '2026-01-01T00:00:00.000Z',
      intervalSeconds: 10,
      ...figures,
      at: '2026-01-01T00:00:10.000Z',
    };
    expect(ServingReported.schema.safeParse(report).success).toBe(true);
  });
});
