import { sparsePositions } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryApiDocument, queryOperations } from '../src';
import {
  content,
  createTitle,
  openStores,
  rebuildViews,
  type Served,
  type Stores,
  serve,
  startSample,
  stopSample,
  viewerToken,
  writeSample,
} from './sample-platform';

let stores: Stores;
let api: Served;

beforeAll(async () => {
  ({ stores, api } = await startSample({ readyMaxLag: 0 }));
});
afterAll(() => stopSample({ api, stores }));

/** The value of one series in Prometheus text. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('health', () => {
  it('/healthz answers while the process is up, without credentials', async () => {
    expect(await api.get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz is 503 while the live views lag the log, and 200 again once they catch up', async () => {
    const caughtUp = await api.get('/readyz');
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.projections.every((p: { lag: number }) => p.lag === 0)).toBe(true);

    // Three events the projections have not read: CreateTitle, the upload, the encoding start.
    const before = await stores.eventStore.headPosition();
    await createTitle(
      stores.eventStore,
      { titleId: 't-late', name: 'Late', genres: ['drama'] },
      '2026-04-01T00:00:00.000Z',
    );
    const behind = (await stores.eventStore.headPosition()) - before;
    expect(behind).toBe(3);

    const lagging = await api.get('/readyz');
    expect(lagging.status).toBe(503);
    expect(lagging.body).toMatchObject({ status: 'lagging', head: before + behind, maxLag: 0 });
    expect(lagging.body.lagging).toContainEqual({ projection: 'catalog', lag: behind, built: true });
    expect(lagging.body.lagging.map((p: { projection: string }) => p.projection).sort()).toEqual([
      'accounts',
      'catalog',
      'continue-watching',
      'edge-inventory',
      'edge-qoe',
      'origin-egress',
      'series-detail',
      'session-delivery',
      'title-detail',
      'title-popularity',
      'title-stats',
      'watch-history',
    ]);

    const metrics = await api.get('/metrics');
    expect(sample(metrics.text, 'projection_lag_events{projection="catalog"}')).toBe(behind);

    // Within a larger allowance the same lag is ready.
    const tolerant = await serve(stores, { readyMaxLag: behind });
    expect((await tolerant.get('/readyz')).status).toBe(200);
    await tolerant.close();

    // The running app reads through the alias, so it serves the rebuilt generation at once.
    expect((await api.get('/titles/t-late', content)).status).toBe(404);
    await rebuildViews(stores);
    expect((await api.get('/readyz')).status).toBe(200);
    expect((await api.get('/titles/t-late', content)).body).toMatchObject({ titleId: 't-late', status: 'encoding' });
    expect(sample((await api.get('/metrics')).text, 'projection_lag_events{projection="catalog"}')).toBe(0);
  });

  it('/readyz and /metrics count lag in events where positions are not dense (EventStoreDB: byte offsets)', async () => {
    const sparse = await openStores();
    sparse.eventStore = sparsePositions(sparse.eventStore, 100);
    await writeSample(sparse.eventStore);
    await rebuildViews(sparse);
    // Three events behind: hundreds of positions, but within an allowance of five events.
    await createTitle(
      sparse.eventStore,
      { titleId: 't-sparse', name: 'Sparse', genres: ['drama'] },
      '2026-04-01T00:00:00.000Z',
    );
    const own = await serve(sparse, { readyMaxLag: 5 });
    const ready = await own.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.projections).toContainEqual(expect.objectContaining({ projection: 'catalog', lag: 3 }));
    expect(sample((await own.get('/metrics')).text, 'projection_lag_events{projection="catalog"}')).toBe(3);
    await own.close();
    const strict = await serve(sparse, { readyMaxLag: 2 });
    expect(await strict.get('/readyz')).toMatchObject({
      status: 503,
      body: { lagging: expect.arrayContaining([{ projection: 'catalog', lag: 3, built: true }]) },
    });
    await strict.close();
    await stopSample({ stores: sparse });
  });

  it('/readyz is 503 when the views were never built', async () => {
    const empty = await openStores();
    const fresh = await serve(empty);
    const { status, body } = await fresh.get('/readyz');
    expect(status).toBe(503);
    expect(body.lagging).toContainEqual({ projection: 'catalog', lag: 0, built: false });
    // And reading a view that was never built says so, rather than failing.
    const catalog = await fresh.get('/catalog', { token: await viewerToken('a-ada') });
    expect(catalog.status).toBe(503);
    expect(catalog.body).toMatchObject({ error: 'ViewNotBuilt' });
    await fresh.close();
    await empty.viewStore.close();
    await empty.checkpoints.close();
    await empty.eventStore.close();
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern and status, times them, and has the process metrics', async () => {
    const own = await serve(stores);
    const token = { token: await viewerToken('a-ada') };
    await own.get('/catalog', token);
    await own.get('/catalog?sort=name', token);
    await own.get('/catalog?limit=0', token);
    await own.get('/catalog/t-atlas', token);
    await own.get('/catalog/t-dune', token);
    await own.get('/no/such/route');
    const { status, text, headers } = await own.get('/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    expect(sample(text, 'http_requests_total{method="GET",route="/catalog",status="200"}')).toBe(2);
    expect(sample(text, 'http_requests_total{method="GET",route="/catalog",status="400"}')).toBe(1);
    // One series for every title id: the pattern, not the path.
    expect(sample(text, 'http_requests_total{method="GET",route="/catalog/:titleId",status="200"}')).toBe(2);
    expect(sample(text, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/catalog",status="200"}')).toBe(2);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE projection_lag_events gauge');
    expect(text).toContain('process_cpu_user_seconds_total');
    await own.close();
  });
});

describe('/openapi.json and /docs', () => {
  it('serves the document queryApiDocument() builds without a server (the player generates its types from it)', async () => {
    const { status, body } = await api.get('/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(queryApiDocument())));
  });

  it('describes every operation as OpenAPI 3.1, from the same schemas that validate requests', async () => {
    const { status, body: doc } = await api.get('/openapi.json');
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/accounts/{accountId}',
        '/analytics/offload',
        '/analytics/origin-titles',
        '/analytics/popularity',
        '/catalog',
        '/catalog/{titleId}',
        '/docs',
        '/edges',
        '/edges/{edgeId}',
        '/healthz',
        '/metrics',
        '/openapi.json',
        '/profiles/{profileId}/continue-watching',
        '/profiles/{profileId}/history',
        '/readyz',
        '/series',
        '/series/{seriesId}',
        '/stats/edges',
        '/stats/titles/{titleId}',
        '/stats/top-titles',
        '/steering/{token}/{titleId}/{encodingId}',
        '/titles',
        '/titles/{titleId}',
        '/titles/{titleId}/encoding',
      ].sort(),
    );
    const browse = doc.paths['/catalog'].get;
    const parameter = (name: string) => browse.parameters.find((p: { name: string }) => p.name === name);
    expect(parameter('limit')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    });
    expect(parameter('sort').schema.enum).toEqual(['popularity', 'recency', 'name']);
    expect(doc.paths['/catalog/{titleId}'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'titleId', in: 'path', required: true }),
    );
    expect(doc.paths['/titles'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/profiles/{profileId}/history'].get.security).toEqual([{ viewerToken: [] }]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);

    // Each operation documents exactly the parameters the API accepts, and every $ref resolves.
    const operationIds = new Set<string>();
    for (const operation of queryOperations) {
      const documented = doc.paths[operation.path.replace(/:(\w+)/g, '{$1}')].get;
      operationIds.add(documented.operationId);
      expect(documented.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
        [...Object.keys(operation.params.shape), ...Object.keys(operation.query.shape)].sort(),
      );
    }
    expect(operationIds.size).toBe(queryOperations.length);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const path = ref.slice('"$ref":"#/'.length, -1).split('/');
      expect(
        path.reduce((node, key) => node?.[key], doc),
        ref,
      ).toBeDefined();
    }
  });

  it('describes the JSON answer of every operation but the text ones, as the player reads it', async () => {
    const { body: doc } = await api.get('/openapi.json');
    for (const operation of queryOperations) {
      const path = operation.path.replace(/:(\w+)/g, '{$1}');
      const content = doc.paths[path][operation.method].responses['200'].content;
      if (['/metrics', '/docs'].includes(operation.path)) expect(content, operation.path).toBeUndefined();
      else expect(content?.['application/json']?.schema, operation.path).toMatchObject({ type: 'object' });
    }
    // A page of the catalog: the public fields of a title, and no others (no play counters).
    const catalog = doc.paths['/catalog'].get.responses['200'].content['application/json'].schema;
    expect(catalog.properties.items.items).toMatchObject({ additionalProperties: false });
    expect(Object.keys(catalog.properties.items.items.properties)).not.toContain('playsByDay');
    expect(catalog.properties.items.items.required).toEqual(expect.arrayContaining(['titleId', 'name', 'posterPath']));
  });

  it('/docs lists every operation on one page with no outside assets', async () => {
    const { status, text, headers } = await api.get('/docs');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    for (const operation of queryOperations) expect(text).toContain(operation.path.replace(/:(\w+)/g, '{$1}'));
    expect(text).toContain('popularity | recency | name');
    expect(text).not.toMatch(/<script|<link|https?:\/\//);
  });
});

describe('requests are traced by id', () => {
  it('answers with a request id, keeping a plausible one the client sent', async () => {
    const fresh = await api.get('/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await api.get('/healthz', { headers: { 'x-request-id': 'player-42' } });
    expect(given.headers.get('x-request-id')).toBe('player-42');
    const odd = await api.get('/healthz', { headers: { 'x-request-id': 'has spaces <and> more' } });
    expect(odd.headers.get('x-request-id')).not.toBe('has spaces <and> more');
  });
});
