import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Conflict,
  defineOperationFor,
  Forbidden,
  InvalidRequest,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
  statusOf,
  TooManyRequests,
  Unauthenticated,
  Unprocessable,
  UnsupportedMediaType,
} from '../src';
import { analystKey, contentKey, type Served, serveNotes, viewerToken } from './http-sample-api';

let api: Served;
beforeAll(async () => {
  api = await serveNotes();
});
afterAll(() => api.close());

const content = { 'x-api-key': contentKey };

const call = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
  const response = await fetch(`${api.url}${path}`, { method, ...init });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: each test asserts the shape of the bodies it reads.
  return { status: response.status, headers: response.headers, text, body: body as any };
};
const post = (path: string, body: unknown, headers: Record<string, string> = content) =>
  call('POST', path, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('a GET operation', () => {
  it('answers the result as JSON with an ETag, and 304 to a client that has it', async () => {
    const headers = { authorization: `Bearer ${await viewerToken()}` };
    const first = await call('GET', '/notes/n1?upper=yes', { headers });
    expect(first).toMatchObject({ status: 200, body: { noteId: 'n1', text: 'HELLO' } });
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await call('GET', '/notes/n1?upper=yes', {
      // fetch would send Cache-Control: no-cache with a conditional request, which forbids a 304.
      headers: { ...headers, 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it('names an unknown or repeated query parameter, and a bad path parameter, all at once', async () => {
    const headers = { authorization: `Bearer ${await viewerToken()}` };
    const { status, body } = await call('GET', `/notes/${'x'.repeat(30)}?colour=red`, { headers });
    expect(status).toBe(400);
    expect(body.error).toBe('InvalidRequest');
    expect(body.details).toEqual([
      { in: 'path', parameter: 'noteId', message: 'is longer than any note id' },
      { in: 'query', parameter: 'colour', message: 'is not a query parameter of this endpoint, which takes upper' },
    ]);
    const repeated = await call('GET', '/notes/n1?upper=yes&upper=no', { headers });
    expect(repeated.body.message).toBe('upper: is given more than once; give it once');
  });
});

describe('a POST operation with a JSON body', () => {
  it('answers its success status with the result, and no ETag', async () => {
    const { status, body, headers } = await post('/notes', { text: 'buy milk', tags: ['home'] });
    expect(status).toBe(201);
    expect(body).toEqual({ noteId: 'n2', text: 'buy milk', tags: ['home'] });
    expect(headers.get('location')).toBe('/notes/n2');
    expect(headers.get('etag')).toBeNull();
  });

  it('refuses an unknown field by name, listing the fields it takes, at any depth', async () => {
    const { status, body } = await post('/notes', { text: 'x', colour: 'red', style: { colour: 'red', size: 2 } });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'InvalidRequest' });
    expect(body.details).toEqual([
      { in: 'body', parameter: 'style.size', message: 'is not a field of style, which takes colour' },
      {
        in: 'body',
        parameter: 'colour',
        message: 'is not a body field of this endpoint, which takes text, tags, style',
      },
    ]);
  });

  it('names a wrong field, and reads a missing body as an empty one', async () => {
    const wrong = await post('/notes', { text: '' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('text: must not be empty');
    const missing = await call('POST', '/notes', { headers: content });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ in: 'body', parameter: 'text', message: expect.any(String) }]);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const { status, body } = await call('POST', '/notes', {
      headers: { ...content, 'content-type': 'application/json' },
      body: '{"text": "unfinished',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('InvalidRequest');
    expect(body.message).toMatch(/^The body is not valid JSON/);
    expect(body.details).toEqual([{ in: 'body', parameter: '', message: expect.stringContaining('not valid JSON') }]);
  });

  it('refuses a body over the limit with 413, naming the limit', async () => {
    const { status, body } = await post('/notes', { text: 'x'.repeat(2000) });
    expect(status).toBe(413);
    expect(body).toMatchObject({ error: 'PayloadTooLarge', details: { limitBytes: 1024 } });
    expect(body.message).toContain('1 KiB');
  });

  it('refuses a body that is not JSON by its type, charset or encoding with 415', async () => {
    const text = await call('POST', '/notes', { headers: { ...content, 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ error: 'UnsupportedMediaType', details: { contentType: 'text/plain' } });
    expect(text.body.message).toContain('Content-Type: application/json');
    const latin1 = await call('POST', '/notes', {
      headers: { ...content, 'content-type': 'application/json; charset=latin1' },
      body: '{"text":"x"}',
    });
    expect(latin1).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
    expect(latin1.body.message).toContain('UTF-8');
    const zipped = await call('POST', '/notes', {
      headers: { ...content, 'content-type': 'application/json', 'content-encoding': 'lzma' },
      body: '{"text":"x"}',
    });
    expect(zipped).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
  });

  it('takes a +json media type', async () => {
    const { status } = await post(
      '/notes',
      { text: 'patchy' },
      { ...content, 'content-type': 'application/merge-patch+json' },
    );
    expect(status).toBe(201);
  });

  it('answers a handler that returns nothing with its status and no body', async () => {
    const { status, text } = await call('DELETE', '/notes/n2', { headers: content });
    expect(status).toBe(204);
    expect(text).toBe('');
  });
});

describe('who may call', () => {
  it('no credentials, or ones that are not valid, are 401', async () => {
    const none = await post('/notes', { text: 'x' }, {});
    expect(none).toMatchObject({ status: 401, body: { error: 'Unauthenticated', details: null } });
    expect((await post('/notes', { text: 'x' }, { 'x-api-key': 'not-a-key-we-know' })).status).toBe(401);
  });

  it('a role the operation is not for is 403, naming the roles it is for', async () => {
    const { status, body } = await post('/notes', { text: 'x' }, { 'x-api-key': analystKey });
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: 'Forbidden' });
    expect(body.message).toBe('POST /notes is for the content role; you are signed in as the analyst key "insights".');
  });
});

describe('every error is answered in one shape, with its status', () => {
  it.each([
    ['not-found', 404, 'NoteNotFound', { noteId: 'n9' }],
    ['conflict', 409, 'NoteLocked', { noteId: 'n1' }],
    ['invalid', 422, 'NoteTooShort', {}],
    ['version', 409, 'VersionConflict', { stream: 'note-n1', expected: 3, actual: 4 }],
    ['busy', 429, 'TooManyRequests', null],
    ['view-query', 400, 'InvalidViewQuery', null],
    ['collection', 503, 'UnknownCollection', null],
  ])('%s → %i %s', async (failure, status, error, details) => {
    const response = await post('/fail', { with: failure });
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error, message: expect.any(String), details });
    if (failure === 'busy') expect(response.headers.get('retry-after')).toBe('7');
  });

  it('an unknown error is a 500 that tells only the request id, and is logged under it', async () => {
    const { status, body, text, headers } = await post('/fail', { with: 'bug' });
    expect(status).toBe(500);
    const requestId = headers.get('x-request-id');
    expect(body).toEqual({
      error: 'InternalError',
      message: 'The API failed to answer; the failure is logged under this request id.',
      details: { requestId },
    });
    expect(text).not.toMatch(/secret|\/srv|at .*\.ts/);
    const line = api.logs.find((log) => (log.req as { id?: string } | undefined)?.id === requestId);
    expect(line).toMatchObject({
      level: 50,
      res: { statusCode: 500 },
      err: { message: expect.stringContaining('secret') },
    });
  });

  it('an unknown route or method is 404 JSON', async () => {
    expect(await call('GET', '/nowhere')).toMatchObject({
      status: 404,
      body: {
        error: 'RouteNotFound',
        message: 'There is no GET /nowhere; GET /docs lists what this API serves.',
        details: null,
      },
    });
    expect((await call('PUT', '/notes/n1', { headers: content })).body.error).toBe('RouteNotFound');
  });

  it('statusOf maps each problem type', () => {
    const cases: [Error, number][] = [
      [new InvalidRequest([{ in: 'header', parameter: 'Idempotency-Key', message: 'is too long' }]), 400],
      [new Unauthenticated('who?'), 401],
      [new Forbidden('no'), 403],
      [new NotFound('gone', { code: 'TitleNotFound' }), 404],
      [new Conflict('taken', { code: 'EmailTaken' }), 409],
      [new PayloadTooLarge('big'), 413],
      [new UnsupportedMediaType('xml'), 415],
      [new Unprocessable('never'), 422],
      [new TooManyRequests('slow down', { retryAfterSeconds: 1 }), 429],
      [new ServiceUnavailable('later'), 503],
      [new Error('bug'), 500],
    ];
    for (const [error, status] of cases) expect(statusOf(error), error.message).toBe(status);
    expect(new NotFound('gone', { code: 'TitleNotFound' })).toMatchObject({ code: 'TitleNotFound', details: null });
    expect(new Conflict('taken')).toMatchObject({ code: 'Conflict', name: 'Conflict' });
  });
});

describe('declaring an operation', () => {
  it('refuses a schema that would let unknown fields through', () => {
    const define = defineOperationFor<{ access: { tokenSecret: string; apiKeys: Map<never, never> } }>();
    expect(() =>
      define({
        method: 'post',
        path: '/loose',
        summary: 'Loose',
        access: 'public',
        body: z.object({ a: z.string() }),
        handle: async () => null,
      }),
    ).toThrow('POST /loose: declare its body with z.strictObject');
  });
});

describe('metrics', () => {
  it('counts requests by route pattern', async () => {
    const { text } = await call('GET', '/metrics');
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/notes",status="201"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
