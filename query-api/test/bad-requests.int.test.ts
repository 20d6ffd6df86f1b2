import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyst, type Caller, content, type Served, type Stores, startSample, stopSample } from './sample-platform';

let stores: Stores;
let api: Served;
let viewer: { token: string };

beforeAll(async () => {
  ({ stores, api, viewer } = await startSample());
});
afterAll(() => stopSample({ api, stores }));

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a bad parameter is a 400 that names it and says why', () => {
  const takes = 'genre, q, sort, profileId, limit, cursor, asOf';
  it.each([
    ['/catalog?limit=0', 'limit', 'must be a whole number from 1 to 100'],
    ['/catalog?limit=101', 'limit', 'must be a whole number from 1 to 100'],
    ['/catalog?limit=ten', 'limit', 'must be a whole number from 1 to 100'],
    ['/catalog?limit=2.5', 'limit', 'must be a whole number from 1 to 100'],
    ['/catalog?limit=', 'limit', 'must be a whole number from 1 to 100'],
    ['/catalog?limit=1&limit=2', 'limit', 'is given more than once; give it once'],
    ['/catalog?sort=bogus', 'sort', 'must be one of popularity, recency, name'],
    ['/catalog?genre=', 'genre', 'must not be empty'],
    ['/catalog?q=', 'q', 'must not be empty; leave it out to list everything'],
    ['/catalog?colour=red', 'colour', `is not a query parameter of this endpoint, which takes ${takes}`],
    ['/catalog?asOf=../etc', 'asOf', 'must be a snapshot name'],
    ['/catalog/t-atlas?limit=5', 'limit', 'is not a query parameter of this endpoint, which takes profileId, asOf'],
    [`/catalog/${'x'.repeat(200)}`, 'titleId', 'is longer than any title id'],
  ])('%s', async (path, parameter, message) => {
    const { status, body } = await api.get(path, viewer);
    expect(status).toBe(400);
    expect(body.error).toBe('InvalidRequest');
    expect(body.message).toContain(`${parameter}: ${message}`);
    expect(body.details).toContainEqual({
      in: parameter === 'titleId' ? 'path' : 'query',
      parameter,
      message: expect.stringContaining(message),
    });
  });

  it('lists every bad parameter at once', async () => {
    const { body } = await api.get('/catalog?limit=0&sort=up&x=1', viewer);
    expect(body.details.map((d: { parameter: string }) => d.parameter).sort()).toEqual(['limit', 'sort', 'x']);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['JSON of the wrong shape', cursorOf({ after: 3 })],
    ['a sort value no view holds', cursorOf([{}, 't-atlas'])],
    ['a list as the sort value', cursorOf([[true], 't-atlas'])],
  ])('refuses a cursor the API did not give out (%s)', async (_, cursor) => {
    const { status, body } = await api.get(`/catalog?cursor=${cursor}`, viewer);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'InvalidViewQuery',
      message: 'The cursor is not one this API gave out; start again from the first page.',
      details: null,
    });
  });

  it('checks the parameters of the content, viewer and analyst endpoints too', async () => {
    const status = await api.get('/titles?status=lost', content);
    expect(status.status).toBe(400);
    expect(status.body.message).toContain(
      'status: must be one of draft, uploaded, encoding, encoded, encoding-failed, published',
    );
    expect((await api.get('/profiles/p-ada/history?limit=1000', viewer)).body.message).toContain('limit:');
    expect((await api.get('/profiles/p-ada/continue-watching?cursor=abc', viewer)).body.message).toContain(
      'cursor: is not a query parameter',
    );
    expect((await api.get('/stats/top-titles?limit=-1', analyst)).status).toBe(400);
    expect((await api.get('/edges?titleId=', analyst)).body.message).toContain('titleId: must name a title');
  });
});

describe('unknown things are 404 JSON', () => {
  it('an unknown route, or a method no route takes', async () => {
    const { status, body } = await api.get('/nowhere', viewer);
    expect(status).toBe(404);
    expect(body).toEqual({
      error: 'RouteNotFound',
      message: 'There is no GET /nowhere; GET /docs lists what this API serves.',
      details: null,
    });
    const post = await fetch(`${api.url}/catalog`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({
      error: 'RouteNotFound',
      message: expect.stringContaining('POST /catalog'),
    });
  });

  it('an unknown snapshot, named in the message', async () => {
    const { status, body } = await api.get('/catalog?asOf=before-launch', viewer);
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'SnapshotNotFound', details: { snapshot: 'before-launch' } });
    expect(body.message).toContain('"before-launch"');
  });
});

describe('nothing a client sends gets a 500', () => {
  // Raw query strings, sent as they are (not re-encoded) to every endpoint.
  const queries = [
    '%',
    '%zz=1',
    '%E0%A4%A=1',
    'limit=%E0%A4%A',
    '&&&',
    '=',
    '==1',
    'a[b]=1',
    'limit[]=1',
    'limit[a]=1',
    '__proto__=1',
    'constructor=x',
    'hasOwnProperty=1',
    'limit=-1',
    'limit=NaN',
    'limit=Infinity',
    'limit=1e400',
    'limit=0x10',
    'limit=%00',
    'limit=99999999999999999999999',
    'sort=',
    'sort=%00',
    'sort=name%00',
    'q=%00',
    `q=${'x'.repeat(5000)}`,
    'q=%F0%9F%8E%AC',
    "q='%20OR%201=1--",
    'q=%25',
    'genre=%22%3B',
    'cursor=',
    'cursor=%00',
    `cursor=${cursorOf([null, 't-atlas'])}`,
    `cursor=${cursorOf([[1], 't-atlas'])}`,
    `cursor=${cursorOf([{}, 't-atlas'])}`,
    `cursor=${cursorOf([false, 't-atlas'])}`,
    `cursor=${cursorOf(['x', 7])}`,
    `cursor=${cursorOf([1e308, 'x'])}`,
    `cursor=${'A'.repeat(5000)}`,
    'asOf=',
    'asOf=%00',
    'asOf=a%2Fb',
    `asOf=${'a'.repeat(60)}`,
    'status=published',
    'titleId=t-atlas',
    'region=eu',
  ];
  const paths: [string, Caller | undefined][] = [
    ['/catalog', { token: '' }],
    ['/catalog/t-atlas', { token: '' }],
    ['/catalog/%E0%A4%A', { token: '' }],
    ['/titles', content],
    ['/titles/t-atlas', content],
    ['/profiles/p-ada/history', { token: '' }],
    ['/profiles/p-ada/continue-watching', { token: '' }],
    ['/accounts/a-ada', { token: '' }],
    ['/edges', analyst],
    ['/edges/edge-eu1', content],
    ['/stats/top-titles', analyst],
    ['/stats/titles/t-atlas', analyst],
    ['/stats/edges', analyst],
    ['/healthz', undefined],
    ['/readyz', undefined],
    ['/openapi.json', undefined],
    ['/docs', undefined],
    ['/metrics', undefined],
  ];

  it.each(paths)('%s', async (path, caller) => {
    const who = caller && 'token' in caller ? viewer : caller;
    const failures: string[] = [];
    for (const query of queries) {
      const { status, body, headers } = await api.get(`${path}?${query}`, who);
      if (status >= 500 && !(path === '/readyz' && status === 503))
        failures.push(`${path}?${query.slice(0, 60)} → ${status}`);
      if (status >= 400 && headers.get('content-type')?.startsWith('application/json')) {
        expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message']);
        expect(body.message.length).toBeGreaterThan(10);
      }
    }
    expect(failures).toEqual([]);
  });

  it('bad credentials of every kind are 401, never 500', async () => {
    const attempts: Record<string, string>[] = [
      { authorization: 'Bearer' },
      { authorization: 'Bearer a.b.c' },
      { authorization: 'Bearer %%%' },
      { authorization: `Bearer ${'x'.repeat(10_000)}` },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhLWFkYSIsInJvbGUiOiJ2aWV3ZXIifQ.' },
      { 'x-api-key': 'short' },
    ];
    for (const headers of attempts) expect((await api.get('/catalog', { headers })).status).toBe(401);
  });
});
