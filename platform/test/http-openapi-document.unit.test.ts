import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, docsPage } from '../src';
import { notesOperations } from './http-sample-api';

const document = buildOpenApiDocument({
  title: 'Notes API',
  version: '1',
  description: 'Notes, to test the framework.',
  operations: notesOperations,
});

describe('the OpenAPI document', () => {
  it('lists each operation under its method, with its parameters', () => {
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: 'Notes API', version: '1' } });
    expect(Object.keys(document.paths).sort()).toEqual(['/fail', '/metrics', '/notes', '/notes/{noteId}']);
    expect(Object.keys(document.paths['/notes/{noteId}'] ?? {}).sort()).toEqual(['delete', 'get']);
    const get = document.paths['/notes/{noteId}']?.get as { operationId: string; parameters: unknown[] };
    expect(get.operationId).toBe('getNotesBynoteId');
    expect(get.parameters).toEqual([
      { name: 'noteId', in: 'path', required: true, schema: expect.objectContaining({ type: 'string' }) },
      { name: 'upper', in: 'query', required: false, schema: expect.objectContaining({ enum: ['yes', 'no'] }) },
    ]);
  });

  it('describes a POST with its request body, success status, roles and errors', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the document is JSON; the test reads into it.
    const create = document.paths['/notes']?.post as any;
    expect(create.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: expect.objectContaining({
            type: 'object',
            properties: expect.objectContaining({
              text: expect.objectContaining({ description: 'What the note says.' }),
            }),
            required: ['text'],
            additionalProperties: false,
          }),
        },
      },
    });
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415']);
    expect(create.responses['201']).toEqual({ description: 'Created' });
    expect(create.responses['409'].description).toBe('A note with this text exists already.');
    expect(create.security).toEqual([{ apiKey: [] }]);
    expect(create['x-roles']).toEqual(['content']);
    const remove = document.paths['/notes/{noteId}']?.delete as { responses: object } | undefined;
    expect(remove?.responses).toHaveProperty('204');
  });

  it('has both security schemes, and every $ref resolves', () => {
    expect(document.components.securitySchemes).toMatchObject({
      viewerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    });
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const path = ref.slice('"$ref":"#/'.length, -1).split('/');
      const target = path.reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        document,
      );
      expect(target, ref).toBeDefined();
    }
  });
});

describe('the docs page', () => {
  it('lists every operation with its parameters and body fields, with no outside assets', () => {
    const page = docsPage(document);
    expect(page).toContain('<span class="method">POST</span> <code>/notes</code>');
    expect(page).toContain('<td><code>text</code></td><td>body, required</td>');
    expect(page).toContain('Answers 201.');
    expect(page).toContain('Answers with <code>noteId</code>, <code>text</code>, <code>tags</code>.');
    expect(page).not.toMatch(/<script|<link|https?:\/\//);
  });
});
