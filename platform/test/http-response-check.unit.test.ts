import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src';
import { contentKey, notesOperations, type Served, serveNotes, viewerToken } from './http-sample-api';

let checked: Served;
let unchecked: Served;
beforeAll(async () => {
  checked = await serveNotes({ validateResponses: true });
  unchecked = await serveNotes();
});
afterAll(async () => {
  await checked.close();
  await unchecked.close();
});

const get = async (api: Served, path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${api.url}${path}`, { headers });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the test reads into the error body.
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body };
};

describe('an operation that declares its response', () => {
  it('has it in the OpenAPI document as the success status content, with no other fields allowed', () => {
    const document = buildOpenApiDocument({
      title: 'Notes',
      version: '1',
      description: '',
      operations: notesOperations,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the document is JSON; the test reads into it.
    const ok = (document.paths['/notes/{noteId}'] as any).get.responses['200'];
    expect(ok).toEqual({
      description: 'OK',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              noteId: { type: 'string' },
              text: { type: 'string' },
              tags: { type: 'array', items: { type: 'string' } },
            },
            required: ['noteId', 'text', 'tags'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('answers as declared when its answer matches', async () => {
    const answer = await get(checked, '/notes/n1', { authorization: `Bearer ${await viewerToken()}` });
    expect(answer).toMatchObject({ status: 200, body: { noteId: 'n1', text: 'hello', tags: [] } });
  });
});

describe('with answers checked, a success answer that strays from its schema', () => {
  const strayed = async (how: string) => {
    const answer = await get(checked, `/strays/${how}`);
    expect(answer.status, answer.text).toBe(500);
    expect(answer.body.error).toBe('ResponseMismatch');
    expect(answer.body.details.operation).toBe('GET /strays/:how');
    // Logged too, as the bug it is, under the request id the body names.
    const logged = checked.logs.find(
      (line) => (line.req as { id?: string } | undefined)?.id === answer.body.details.requestId,
    );
    expect(logged).toMatchObject({ level: 50, res: { statusCode: 500 }, err: { type: 'ResponseMismatch' } });
    return answer.body;
  };

  it('is a 500 naming a field it does not declare (a leak)', async () => {
    const body = await strayed('extra-field');
    expect(body.details.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['passwordHash'] }),
    ]);
    expect(body.message).toContain('passwordHash');
  });

  it('is a 500 naming a field of the wrong type, or missing', async () => {
    expect((await strayed('wrong-type')).details.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['tags'], expected: 'array' }),
    ]);
    expect((await strayed('missing-field')).details.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['text'], expected: 'string' }),
    ]);
  });

  it('is a 500 when a Reply with the success status strays (a replayed answer), or no JSON comes', async () => {
    expect((await strayed('replay')).details.issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: ['text'] }),
    ]);
    expect((await strayed('no-body')).message).toContain('declares a JSON response but answered none');
    expect((await strayed('text')).message).toContain('declares a JSON response but answered none');
  });

  it('is sent as it is when answers are not checked (production)', async () => {
    const answer = await get(unchecked, '/strays/extra-field');
    expect(answer).toMatchObject({ status: 200, body: { noteId: 'n1', passwordHash: 'scrypt$…' } });
  });
});

describe('with answers checked, an operation that answers JSON', () => {
  it('without declaring its response is a 500 that says so', async () => {
    const response = await fetch(`${checked.url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': contentKey },
      body: JSON.stringify({ text: 'buy milk' }),
    });
    const body = await response.json();
    expect(response.status).toBe(500);
    expect(body).toMatchObject({
      error: 'ResponseMismatch',
      message: 'POST /notes answered JSON but declares no response schema.',
    });
  });

  it('is not checked when its answer is an error, text, or no body', async () => {
    expect((await get(checked, '/metrics')).status).toBe(200);
    expect((await get(checked, '/notes/n9', { authorization: `Bearer ${await viewerToken()}` })).status).toBe(404);
    const removed = await fetch(`${checked.url}/notes/n1`, { method: 'DELETE', headers: { 'x-api-key': contentKey } });
    expect(removed.status).toBe(204);
  });
});
