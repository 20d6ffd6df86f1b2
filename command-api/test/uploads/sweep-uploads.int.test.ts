import { existsSync, readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAggregateCache, type EventStore } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUploadRecords, sweepTitleUploads } from '../../src/titles/title-uploads';
import { type CommandApi, content, createdTitle, eventTypes, startCommandApi } from '../command-platform';
import { makeTestMedia, type TestMedia } from './test-media';

const hour = 3600 * 1000;
const expiryMs = 24 * hour;

let media: TestMedia;
let api: CommandApi;
let busy = false;
const sometimesBusy = (store: EventStore): EventStore => ({
  ...store,
  appendToStream: async (stream, events, options) => {
    if (busy && events.some((event) => event.type === 'SourceUploaded')) throw new Error('SQLITE_BUSY');
    return store.appendToStream(stream, events, options);
  },
});

beforeAll(async () => {
  media = await makeTestMedia();
  api = await startCommandApi({ wrapEventStore: sometimesBusy });
});
afterAll(() => api.close());

const tus = { 'tus-resumable': '1.0.0', 'x-api-key': content.key };
const newTitle = () => createdTitle(api);

/** A tus upload of the clip with `bytes` of it sent: its id and the answers. */
const tusUpload = async (titleId: string, bytes: number) => {
  const file = readFileSync(media.clip);
  const created = await fetch(`${api.url}/titles/uploads`, {
    method: 'POST',
    headers: {
      ...tus,
      'upload-length': String(file.length),
      'upload-metadata': `titleId ${Buffer.from(titleId).toString('base64')}`,
    },
  });
  const location = new URL(created.headers.get('location') as string, api.url).toString();
  const sent = await fetch(location, {
    method: 'PATCH',
    headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: file.subarray(0, bytes),
  });
  return { id: location.split('/').at(-1) as string, location, created, sent };
};

const sweep = (now: Date) =>
  sweepTitleUploads(
    {
      eventStore: api.eventStore,
      aggregates: createAggregateCache(),
      uploads: { directory: api.uploads, maxBytes: 50_000_000, expiryMs },
    },
    openUploadRecords(api.redis, api.redisPrefix),
    now,
  );

describe('sweeping expired uploads', () => {
  it('removes unfinished and unrecorded uploads and crashed PUTs’ parts once expired, and keeps every source', async () => {
    const titleId = await newTitle();
    const clipBytes = readFileSync(media.clip).length;

    const abandoned = await tusUpload(titleId, 1000);
    expect(abandoned.created.headers.get('upload-expires')).toBeTruthy();
    expect(abandoned.sent.headers.get('upload-expires')).toBeTruthy();
    const taken = await tusUpload(titleId, clipBytes);
    expect(taken.sent.status).toBe(204);
    // Recorded, but the process died before marking the upload's record taken.
    const takenUnmarked = await tusUpload(titleId, clipBytes);
    const recordKey = `${api.redisPrefix}tus-upload:${takenUnmarked.id}`;
    await api.redis.set(
      recordKey,
      JSON.stringify({ ...JSON.parse((await api.redis.get(recordKey)) ?? '{}'), offset: 0 }),
    );
    busy = true;
    const notRecorded = await tusUpload(titleId, clipBytes);
    busy = false;
    expect(notRecorded.sent.status).toBe(503);
    const put = await fetch(`${api.url}/titles/${titleId}/source`, {
      method: 'PUT',
      headers: { 'x-api-key': content.key, 'content-type': 'video/mp4' },
      body: readFileSync(media.clip),
    });
    const putSource = ((await put.json()) as { uploadId: string }).uploadId;
    const crashedPart = `${putSource}.crashed.part`;
    const recentPart = `${putSource}.recent.part`;
    await writeFile(join(api.uploads, crashedPart), 'half a film');
    await writeFile(join(api.uploads, recentPart), 'half a film');
    const twoDaysAgo = new Date(Date.now() - 2 * expiryMs);
    await utimes(join(api.uploads, crashedPart), twoDaysAgo, twoDaysAgo);
    const present = (name: string) => existsSync(join(api.uploads, name));

    // Within the expiry only the part file untouched for two days goes.
    expect(await sweep(new Date(Date.now() + hour))).toEqual({ removed: [crashedPart], forgotten: [] });
    expect(present(abandoned.id) && present(notRecorded.id) && present(recentPart)).toBe(true);

    const later = await sweep(new Date(Date.now() + expiryMs + hour));

    expect(later.removed.sort()).toEqual([abandoned.id, notRecorded.id, recentPart].sort());
    expect(later.forgotten.sort()).toEqual([taken.id, takenUnmarked.id].sort());
    expect([taken.id, takenUnmarked.id, putSource].every(present)).toBe(true);
    expect([abandoned.id, notRecorded.id, recentPart].some(present)).toBe(false);
    expect(await api.redis.exists(`${api.redisPrefix}tus-upload:${abandoned.id}`)).toBe(0);
    expect((await fetch(abandoned.location, { method: 'HEAD', headers: tus })).status).toBe(404);
    expect((await eventTypes(api.eventStore, `title-${titleId}`)).filter((t) => t === 'SourceUploaded')).toHaveLength(
      3,
    );
    // Nothing is left for a second sweep (or another instance's) to do.
    expect(await sweep(new Date(Date.now() + expiryMs + hour))).toEqual({ removed: [], forgotten: [] });
  });
});
