import { readFileSync } from 'node:fs';
import type { EventStore } from '@marquee/platform';
import { startOwnRedis } from '@marquee/platform/testing';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CommandApi, content, createdTitle, eventTypes, startCommandApi } from '../command-platform';
import { makeTestMedia, type TestMedia } from './test-media';

/*
 * An upload is recorded on its title exactly once, or the client is told it failed: while the
 * event store refuses the append of SourceUploaded ("busy"), no answer says the upload is done.
 */

let media: TestMedia;
let api: CommandApi;
/** How many of the next appends of SourceUploaded fail, as a busy store's would. */
let busyAppends = 0;
const busy = (store: EventStore): EventStore => ({
  ...store,
  appendToStream: async (stream, events, options) => {
    if (busyAppends > 0 && events.some((event) => event.type === 'SourceUploaded')) {
      busyAppends--;
      throw new Error('SQLITE_BUSY: database is locked');
    }
    return store.appendToStream(stream, events, options);
  },
});

beforeAll(async () => {
  media = await makeTestMedia();
  api = await startCommandApi({ wrapEventStore: busy });
});
afterAll(() => api.close());
beforeEach(() => {
  busyAppends = 0;
  retried = [];
});

const newTitle = () => createdTitle(api);

const sourcesOf = async (titleId: string) =>
  (await eventTypes(api.eventStore, `title-${titleId}`)).filter((type) => type === 'SourceUploaded');

/** The errors the client met and retried, as it reports them. */
let retried: string[] = [];

/** The reference tus client, as a content team's uploader runs it; resolves when it reports success. */
const tusUpload = (titleId: string, file: Buffer, retryDelays: number[], uploadUrl?: string) =>
  new Promise<{ url: string }>((resolve, reject) => {
    const upload: Upload = new Upload(file, {
      endpoint: `${api.url}/titles/uploads`,
      ...(uploadUrl && { uploadUrl }),
      headers: { 'x-api-key': content.key },
      metadata: { titleId, filename: 'clip.mp4' },
      chunkSize: Math.ceil(file.length / 2),
      retryDelays,
      onShouldRetry: (error) => {
        retried.push(error.message);
        return true;
      },
      onError: reject,
      onSuccess: () => resolve({ url: upload.url ?? '' }),
    });
    upload.start();
  });

describe('recording a tus upload while the event store is busy', () => {
  it('does not report the upload complete while SourceUploaded is not in the log', async () => {
    const titleId = await newTitle();
    busyAppends = Number.POSITIVE_INFINITY;

    const outcome = tusUpload(titleId, readFileSync(media.clip), [50, 50]);

    // The last PATCH is told why (503); each HEAD of the retries hears 423 until the client gives up.
    await expect(outcome).rejects.toThrow(/method: HEAD.*response code: 423/);
    expect(retried).toEqual([
      expect.stringMatching(
        /method: PATCH.*response code: 503, response text: The upload is whole but was not recorded/,
      ),
      expect.stringMatching(/method: HEAD.*response code: 423/),
    ]);
    expect(await sourcesOf(titleId)).toEqual([]);
  });

  it('records the upload exactly once when the client retries after the store refused once', async () => {
    const titleId = await newTitle();
    busyAppends = 1;

    await tusUpload(titleId, readFileSync(media.clip), [50, 50]);

    expect(await sourcesOf(titleId)).toEqual(['SourceUploaded']);
    expect(retried).toEqual([expect.stringMatching(/method: PATCH.*response code: 503/)]);
  });
});

describe('a finished tus upload resumed again', () => {
  it('is recorded once whether its record was marked taken or the process died before marking it', async () => {
    const titleId = await newTitle();
    const file = readFileSync(media.clip);
    const { url } = await tusUpload(titleId, file, []);

    await tusUpload(titleId, file, [], url);
    // As if the process died between appending SourceUploaded and marking the upload's record.
    const key = `${api.redisPrefix}tus-upload:${url.split('/').at(-1)}`;
    const record = JSON.parse((await api.redis.get(key)) ?? '{}');
    await api.redis.set(key, JSON.stringify({ ...record, offset: 0 }));
    await tusUpload(titleId, file, [], url);

    expect(await sourcesOf(titleId)).toEqual(['SourceUploaded']);
    expect(JSON.parse((await api.redis.get(key)) ?? '{}')).toMatchObject({ offset: file.length, size: file.length });
  });
});

describe('recording a PUT upload while the event store is busy', () => {
  const put = (titleId: string, key: string) =>
    fetch(`${api.url}/titles/${titleId}/source`, {
      method: 'PUT',
      headers: { 'x-api-key': content.key, 'content-type': 'video/mp4', 'idempotency-key': key },
      body: readFileSync(media.clip),
    });

  it('answers 503 with the reason, and a retry with the same key records the upload once', async () => {
    const titleId = await newTitle();
    busyAppends = 1;

    const refused = await put(titleId, `put-${titleId}`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      error: 'SourceNotRecorded',
      message: expect.stringMatching(/could not be recorded.*send it again/i),
    });
    expect(await sourcesOf(titleId)).toEqual([]);

    const retried = await put(titleId, `put-${titleId}`);
    expect(retried.status).toBe(201);
    expect(await sourcesOf(titleId)).toEqual(['SourceUploaded']);
  });
});

describe('a whole upload not taken, while Redis does not answer', () => {
  it('answers its client 503 (come back), not 500', async () => {
    // A Redis of this test's own, to stop: the machine's shared one keeps running.
    const redis = await startOwnRedis();
    const own = await startCommandApi({ wrapEventStore: busy, redisUrl: redis.url });
    try {
      await expect.poll(() => own.redis.ping().catch(() => 'down')).toBe('PONG');
      const created = await own.post('/titles', content, {
        name: 'Orbit',
        synopsis: '',
        genres: ['scifi'],
        year: 2024,
        maturityRating: '13+',
      });
      busyAppends = 1;
      const file = readFileSync(media.clip);
      const tus = { 'tus-resumable': '1.0.0', 'x-api-key': content.key };
      const post = await fetch(`${own.url}/titles/uploads`, {
        method: 'POST',
        headers: {
          ...tus,
          'upload-length': String(file.length),
          'upload-metadata': `titleId ${Buffer.from(created.body.titleId).toString('base64')}`,
        },
      });
      const location = new URL(post.headers.get('location') as string, own.url).toString();
      const last = await fetch(location, {
        method: 'PATCH',
        headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: file,
      });
      expect(last.status).toBe(503);

      await redis.stop();
      const head = await fetch(location, { method: 'HEAD', headers: tus });

      expect(head.status).toBe(503);
    } finally {
      await redis.stop();
      await own.close();
    }
  });
});
