import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandApiDocument, commandOperations } from '../src';
import { type CommandApi, signUpViewer, startCommandApi } from './command-platform';

/*
 * What operators and client authors rely on besides the commands: health, readiness, metrics,
 * the OpenAPI document and its page, the JSON 404 and the request id.
 */

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const text = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${api.url}${path}`, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
};

/** The value of one series in Prometheus text, e.g. `http_requests_total{method="GET",...}`. */
const sample = (metrics: string, series: string) => {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

describe('health', () => {
  it('is live: /healthz answers 200', async () => {
    const answer = await api.call('GET', '/healthz', undefined);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('is ready: /readyz answers 200 with the head of the event store', async () => {
    await signUpViewer(api, 'basic');
    const answer = await api.call('GET', '/readyz', undefined);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready', head: await api.eventStore.headPosition() });
    expect(answer.body.head).toBeGreaterThan(0);
  });
});

describe('metrics', () => {
  const scrape = async () => {
    const answer = await text('/metrics');
    expect(answer.status).toBe(200);
    return answer;
  };

  it('serves Prometheus text: requests by route and status, their duration, and appends', async () => {
    await signUpViewer(api, 'standard');
    const { headers, body } = await scrape();
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('# TYPE http_requests_total counter');
    expect(sample(body, 'http_requests_total{method="POST",route="/accounts",status="201"}')).toBeGreaterThanOrEqual(1);
    expect(body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(
      sample(body, 'http_request_duration_seconds_count{method="POST",route="/accounts",status="201"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(body).toContain('# TYPE event_appends_total counter');
    // Per sign-up: the account's registration, then its first profile.
    expect(sample(body, 'event_appends_total{category="account",outcome="appended"}')).toBeGreaterThanOrEqual(2);
  });

  it('counts the version conflicts that concurrent commands on one stream meet', async () => {
    const { accountId, viewer } = await signUpViewer(api, 'basic');
    const conflicts = async () =>
      sample((await scrape()).body, 'event_appends_total{category="account",outcome="conflict"}') ?? 0;
    // Plan changes sent together read the same revision; all but one append conflict (and retry).
    // Whether two land in one event-loop turn is up to the sockets, so a few rounds are allowed.
    for (let round = 0; round < 10 && (await conflicts()) === 0; round++) {
      const plans = ['standard', 'premium', 'basic', 'premium', 'standard', 'basic'];
      const answers = await Promise.all(plans.map((plan) => api.post(`/accounts/${accountId}/plan`, viewer, { plan })));
      // A change that lost every retry, or found the plan already chosen, is a 409: never a 500.
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
    }
    expect(await conflicts()).toBeGreaterThanOrEqual(1);
  });
});

describe('the OpenAPI document', () => {
  const fetchDocument = async () => {
    const answer = await api.call('GET', '/openapi.json', undefined);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('is OpenAPI 3.1 and lists every operation with its method', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
    for (const operation of commandOperations)
      expect(
        document.paths[openApiPath(operation.path)]?.[operation.method],
        `${operation.method} ${operation.path}`,
      ).toMatchObject({ summary: operation.summary });
    const listed = Object.values(document.paths as Record<string, object>).flatMap((methods) => Object.keys(methods));
    expect(listed).toHaveLength(commandOperations.length);
  });

  it('is the document commandApiDocument() builds without a server (the player generates its types from it)', async () => {
    expect(await fetchDocument()).toEqual(JSON.parse(JSON.stringify(commandApiDocument())));
  });

  it('describes each JSON body with its schema: sign-up takes email, password and plan', async () => {
    const document = await fetchDocument();
    const signUp = document.paths['/accounts'].post.requestBody;
    expect(signUp.required).toBe(true);
    expect(signUp.content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: {
        email: { type: 'string' },
        password: { type: 'string', minLength: 10 },
        plan: { enum: ['basic', 'standard', 'premium'] },
      },
      required: ['email', 'password', 'plan'],
      additionalProperties: false,
    });
    for (const operation of commandOperations.filter((o) => o.body)) {
      const schema =
        document.paths[openApiPath(operation.path)][operation.method].requestBody.content['application/json'].schema;
      expect(Object.keys(schema.properties ?? {}), `${operation.method} ${operation.path}`).toEqual(
        Object.keys(operation.body?.shape ?? {}),
      );
    }
  });

  it('gives each operation its success status: 201 for the creates', async () => {
    const document = await fetchDocument();
    const statusOf = (method: string, path: string) =>
      Object.keys(document.paths[path][method].responses).filter((status) => Number(status) < 400);
    expect(statusOf('post', '/accounts')).toEqual(['201']);
    expect(statusOf('post', '/accounts/{accountId}/profiles')).toEqual(['201']);
    expect(statusOf('post', '/titles')).toEqual(['201']);
    expect(statusOf('put', '/titles/{titleId}/source')).toEqual(['201']);
    expect(statusOf('post', '/playback')).toEqual(['201']);
    expect(statusOf('post', '/login')).toEqual(['200']);
    for (const operation of commandOperations)
      expect(statusOf(operation.method, openApiPath(operation.path))).toEqual([String(operation.successStatus)]);
  });

  it('describes the JSON answer of every operation but the text ones, as the player reads it', async () => {
    const document = await fetchDocument();
    const answerOf = (method: string, path: string) =>
      document.paths[path][method].responses['201']?.content ?? document.paths[path][method].responses['200']?.content;
    for (const operation of commandOperations) {
      const content = answerOf(operation.method, openApiPath(operation.path));
      if (['/metrics', '/docs'].includes(operation.path)) expect(content, operation.path).toBeUndefined();
      else expect(content?.['application/json']?.schema, operation.path).toMatchObject({ type: 'object' });
    }
    expect(answerOf('post', '/playback')['application/json'].schema).toMatchObject({
      required: expect.arrayContaining(['sessionId', 'manifests', 'token', 'tokenExpiresAt', 'resumeFromSeconds']),
      additionalProperties: false,
    });
  });

  it('declares the viewer bearer token and the API key, and which operation takes which', async () => {
    const document = await fetchDocument();
    expect(document.components.securitySchemes).toMatchObject({
      viewerToken: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    });
    expect(document.paths['/playback'].post.security).toEqual([{ viewerToken: [] }]);
    expect(document.paths['/titles'].post.security).toEqual([{ apiKey: [] }]);
    expect(document.paths['/accounts'].post.security).toEqual([]);
    expect(document.paths['/healthz'].get.security).toEqual([]);
  });

  it('tells clients about Idempotency-Key', async () => {
    const document = await fetchDocument();
    expect(document.info.description).toContain('Idempotency-Key');
  });

  it('declares Idempotency-Key as an optional header parameter of every command, and of no read or login', async () => {
    const document = await fetchDocument();
    for (const [path, methods] of Object.entries(
      document.paths as Record<
        string,
        Record<string, { parameters: { name: string; in: string; required: boolean }[] }>
      >,
    ))
      for (const [method, operation] of Object.entries(methods)) {
        const header = operation.parameters.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
        // Login writes nothing: there is nothing to make safe to retry.
        if (method === 'get' || path === '/login') expect(header, `${method} ${path}`).toBeUndefined();
        else expect(header, `${method} ${path}`).toMatchObject({ required: false });
      }
  });
});

describe('the docs page', () => {
  it('is HTML naming every operation: method, path and summary', async () => {
    const { status, headers, body } = await text('/docs');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(body).toMatch(/^<!doctype html>/);
    for (const operation of commandOperations) {
      expect(body).toContain(
        `${operation.method.toUpperCase()}</span> <code>${escapeHtml(openApiPath(operation.path))}</code>`,
      );
      expect(body).toContain(escapeHtml(operation.summary));
    }
  });
});

describe('every answer', () => {
  it('is a JSON 404 for an unknown route, naming it', async () => {
    const answer = await api.call('GET', '/no-such-route', undefined);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      error: 'RouteNotFound',
      message: expect.stringContaining('GET /no-such-route'),
      details: null,
    });
    expect((await api.post('/titles/nothing/here', undefined)).status).toBe(404);
  });

  it('carries a request id in x-request-id, the caller’s own if it sent a plausible one', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect((await api.call('GET', '/healthz', undefined)).headers.get('x-request-id')).toMatch(uuid);
    expect((await api.call('GET', '/no-such-route', undefined)).headers.get('x-request-id')).toMatch(uuid);
    const own = await api.call('GET', '/healthz', undefined, undefined, { 'x-request-id': 'trace-42.a:b' });
    expect(own.headers.get('x-request-id')).toBe('trace-42.a:b');
    const implausible = await api.call('GET', '/healthz', undefined, undefined, { 'x-request-id': 'two words' });
    expect(implausible.headers.get('x-request-id')).toMatch(uuid);
  });
});
