import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { refusal } from '@marquee/domain';
import express from 'express';
import { pino } from 'pino';
import { z } from 'zod';
import {
  anyone,
  createHttpMetrics,
  createMetricsRegistry,
  defineOperationFor,
  errorResponse,
  InvalidViewQuery,
  mountOperations,
  type OperationContext,
  parseApiKeys,
  Reply,
  requestLog,
  routeNotFound,
  signAccessToken,
  TooManyRequests,
  UnknownCollection,
  VersionConflict,
} from '../src';

/*
 * A tiny API on the platform's HTTP framework: notes that a viewer reads and the content team
 * writes, and one operation that fails in each way an API can, to see how each is answered.
 */

const note = z.object({ noteId: z.string(), text: z.string(), tags: z.array(z.string()) });
type Note = z.infer<typeof note>;
type NotesContext = OperationContext & { notes: Map<string, Note>; metrics: ReturnType<typeof createMetricsRegistry> };

const defineNotesOperation = defineOperationFor<NotesContext>();

export const tokenSecret = 'http-test-secret-0123456789abcdef';
export const contentKey = 'content-key-0123456789';
export const analystKey = 'analyst-key-0123456789';
const apiKeys = parseApiKeys(`studio:content:${contentKey},insights:analyst:${analystKey}`);
export const viewerToken = () => signAccessToken(tokenSecret, { accountId: 'a-ada' });

export const getNote = defineNotesOperation({
  method: 'get',
  path: '/notes/:noteId',
  summary: 'One note',
  access: anyone,
  params: z.strictObject({ noteId: z.string().min(1).max(20, 'is longer than any note id') }),
  query: z.strictObject({ upper: z.enum(['yes', 'no']).default('no') }),
  response: note,
  handle: async ({ params, query, context }) => {
    const note = context.notes.get(params.noteId);
    if (!note) throw new NoteNotFound(params.noteId);
    return query.upper === 'yes' ? { ...note, text: note.text.toUpperCase() } : note;
  },
});

export const createNote = defineNotesOperation({
  method: 'post',
  path: '/notes',
  summary: 'Write a note',
  access: ['content'],
  body: z.strictObject({
    text: z.string().min(1, 'must not be empty').describe('What the note says.'),
    tags: z.array(z.string()).max(5).default([]),
    style: z.strictObject({ colour: z.string() }).optional(),
  }),
  bodyLimitBytes: 1024,
  successStatus: 201,
  errors: { 409: 'A note with this text exists already.' },
  handle: async ({ body, context, res }) => {
    const noteId = `n${context.notes.size + 1}`;
    const note = { noteId, text: body.text, tags: body.tags };
    context.notes.set(noteId, note);
    res.location(`/notes/${noteId}`);
    return note;
  },
});

export const deleteNote = defineNotesOperation({
  method: 'delete',
  path: '/notes/:noteId',
  summary: 'Delete a note',
  access: ['content'],
  params: z.strictObject({ noteId: z.string() }),
  successStatus: 204,
  handle: async ({ params, context }) => {
    if (!context.notes.delete(params.noteId)) throw new NoteNotFound(params.noteId);
  },
});

class NoteNotFound extends refusal('not_found', (noteId: string) => [`There is no note ${noteId}.`, { noteId }]) {}
class NoteLocked extends refusal('conflict', (noteId: string) => [`Note ${noteId} is locked.`, { noteId }]) {}
class NoteTooShort extends refusal('invalid', () => ['A note needs at least one word.']) {}

export const failures = [
  'not-found',
  'conflict',
  'invalid',
  'version',
  'busy',
  'view-query',
  'collection',
  'bug',
] as const;

/** Fails in the way its body names. */
export const fail = defineNotesOperation({
  method: 'post',
  path: '/fail',
  summary: 'Fail on purpose',
  access: 'public',
  body: z.strictObject({ with: z.enum(failures) }),
  handle: async ({ body }) => {
    switch (body.with) {
      case 'not-found':
        throw new NoteNotFound('n9');
      case 'conflict':
        throw new NoteLocked('n1');
      case 'invalid':
        throw new NoteTooShort();
      case 'version':
        throw new VersionConflict('note-n1', 3, 4);
      case 'busy':
        throw new TooManyRequests('Too many notes at once; wait a little.', { retryAfterSeconds: 7 });
      case 'view-query':
        throw new InvalidViewQuery('The cursor is not one this API gave out.');
      case 'collection':
        throw new UnknownCollection('notes-v2');
      default:
        throw new Error('secret internal detail at /srv/notes.db');
    }
  },
});

export const metrics = defineNotesOperation({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics',
  access: 'public',
  handle: async ({ context }) => new Reply(200, await context.metrics.metrics(), context.metrics.contentType),
});

export const notesOperations = [getNote, createNote, deleteNote, fail, metrics];

export const strays = ['extra-field', 'wrong-type', 'missing-field', 'no-body', 'replay', 'text'] as const;

/** Declares that it answers a note, and answers something else in the way its path names. */
export const stray = defineNotesOperation({
  method: 'get',
  path: '/strays/:how',
  summary: 'Answer other than declared',
  access: 'public',
  params: z.strictObject({ how: z.enum(strays) }),
  response: note,
  handle: async ({ params }) => {
    const answer = { noteId: 'n1', text: 'hello', tags: [] };
    switch (params.how) {
      case 'extra-field':
        return { ...answer, passwordHash: 'scrypt$…' };
      case 'wrong-type':
        return { ...answer, tags: 'none' };
      case 'missing-field':
        return { noteId: 'n1', tags: [] };
      case 'no-body':
        return undefined;
      case 'replay':
        return new Reply(200, { ...answer, text: 7 });
      default:
        return new Reply(200, 'hello', 'text/plain');
    }
  },
});

export type Served = {
  url: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close: () => Promise<void>;
};

/** The notes API, and `stray`; `validateResponses` as the APIs' test platforms turn it on. */
export const serveNotes = async (options: { validateResponses?: boolean } = {}): Promise<Served> => {
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const registry = createMetricsRegistry();
  const context: NotesContext = {
    access: { tokenSecret, apiKeys },
    notes: new Map([['n1', { noteId: 'n1', text: 'hello', tags: [] }]]),
    metrics: registry,
  };
  const app = express();
  app.use(requestLog(logger));
  app.use(createHttpMetrics(registry).measureRequests);
  const router = express.Router();
  mountOperations(router, [...notesOperations, stray], context, options);
  app.use(router);
  app.use(routeNotFound);
  app.use(errorResponse);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
