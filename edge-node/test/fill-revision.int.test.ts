import { mkdtempSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EdgeEvent, edgeDecider, foldEvents, streamName } from '@marquee/domain';
import {
  type EventStore,
  openEventStore,
  type PackageIndex,
  readDomainEvent,
  writePackageIndex,
} from '@marquee/platform';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type EdgeProcess,
  edgeStatus,
  eventually,
  filled,
  type PackageFileSpec,
  packageLayout,
  publish,
  segmentName,
  startEdgeProcess,
  unpublish,
  viewerUrl,
  writePackage,
} from './edge-fixtures';
import {
  storedCaptions,
  storedCaptionsPlaylist,
  storedMaster,
  storedMasterWithTracks,
  storedMediaPlaylist,
  storedMpd,
  storedMpdWithTracks,
  storedThumbnailsPlaylist,
} from './manifest-fixtures';

/*
 * A revision of a published title (captions and a second audio track added, the video not
 * encoded again) filled by an edge that holds the revision before it: the edge takes the files
 * the two share from its own disk and downloads only the rest. The upstream is the origin
 * behind a counting proxy, so the test sees exactly what crossed the wire.
 */

let dir: string;
let originDir: string;
let origin: EdgeProcess;
let proxy: Server;
let proxyUrl: string;
let store: EventStore;
let logs = 0;
const started: EdgeProcess[] = [];
/** Every file the upstream sent, as `<titleId>/<encodingId>/<file>` with the body bytes sent. */
const upstreamSent: { file: string; bytes: number }[] = [];

/** A pass-through to the origin that counts the body bytes of each answer. */
const countingProxy = (target: string) =>
  createServer((req, res) => {
    const forwarded = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      let bytes = 0;
      answer.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      answer.on('end', () => {
        // /c/<token>/<titleId>/<encodingId>/<file>: the token is not part of what was sent.
        upstreamSent.push({ file: (req.url ?? '').split('/').slice(3).join('/'), bytes });
      });
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-revision-'));
  originDir = join(dir, 'origin');
  origin = await startEdgeProcess({
    EDGE_ROLE: 'origin',
    EDGE_DIR: originDir,
    DATA_DIR: dir,
    EVENT_STORE_URL: `sqlite:${join(dir, 'origin-events.db')}`,
  });
  proxy = countingProxy(origin.url);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
beforeEach(async () => {
  store = await openEventStore(`sqlite:${join(dir, `events-${++logs}.db`)}`);
  upstreamSent.length = 0;
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((edge) => edge.stop()));
  await store.close();
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await origin?.stop();
  await rm(dir, { recursive: true, force: true });
});

const segments = 4;
const videoSegmentBytes = 100_000;
const audioSegmentBytes = 12_000;

const mediaFiles = (rung: string, bytes: number): PackageFileSpec[] => [
  { path: `media-${rung}.m3u8`, text: storedMediaPlaylist(rung) },
  { path: `init-${rung}.m4s`, bytes: 800 },
  ...Array.from({ length: segments }, (_, i) => ({ path: segmentName(rung, i + 1), bytes })),
];

/** Revision 1: two video rungs, one audio track, sprites and a poster; no captions. */
const firstRevision: PackageFileSpec[] = [
  { path: 'manifest.mpd', text: storedMpd },
  { path: 'master.m3u8', text: storedMaster },
  { path: 'poster.jpg', bytes: 20_000 },
  { path: 'thumbnails-1.jpg', bytes: 15_000 },
  { path: 'thumbnails.m3u8', text: storedThumbnailsPlaylist },
  ...mediaFiles('v360', videoSegmentBytes),
  ...mediaFiles('v720', videoSegmentBytes),
  ...mediaFiles('a0', audioSegmentBytes),
];
/** What revision 2 adds or rewrites: both manifests, a French track, captions in two languages. */
const secondRevisionNew: PackageFileSpec[] = [
  { path: 'manifest.mpd', text: storedMpdWithTracks },
  { path: 'master.m3u8', text: storedMasterWithTracks },
  ...mediaFiles('a1', audioSegmentBytes),
  ...['en', 'fr'].flatMap((tag) => [
    { path: `captions-${tag}.vtt`, text: storedCaptions(tag) },
    { path: `captions-${tag}.m3u8`, text: storedCaptionsPlaylist(tag) },
  ]),
];

/** The revision as the encoder makes it: unchanged files hard-linked from the base, the rest written anew. */
const writeRevision = async (titleId: string, base: string, encodingId: string) => {
  const from = join(originDir, titleId, base);
  const to = join(originDir, titleId, encodingId);
  await mkdir(to, { recursive: true });
  const rewritten = new Set(secondRevisionNew.map((file) => file.path));
  for (const file of firstRevision)
    if (!rewritten.has(file.path)) await link(join(from, file.path), join(to, file.path));
  for (const file of secondRevisionNew)
    await writeFile(join(to, file.path), file.text ?? Buffer.alloc(file.bytes ?? 0, 3));
  const { index } = await writePackageIndex(to, {
    titleId,
    encodingId,
    ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
    durationSeconds: 16,
    encodeSeconds: 0,
  });
  return { index, indexBytes: (await stat(join(to, 'index.json'))).size };
};

const startEdge = async (env: Record<string, string> = {}) => {
  const edgeId = `edge-revision-${logs}`;
  const edge = await startEdgeProcess({
    EDGE_ID: edgeId,
    EDGE_REGION: 'eu',
    EDGE_DIR: join(dir, 'edges', edgeId),
    EDGE_UPSTREAM: proxyUrl,
    EVENT_STORE_URL: `sqlite:${join(dir, `events-${logs}.db`)}`,
    DATA_DIR: dir,
    ...env,
  });
  started.push(edge);
  return { edge, edgeId, content: join(dir, 'edges', edgeId, 'content') };
};

const completedFill = async (edgeId: string, encodingId: string) => {
  for await (const recorded of store.readStream(streamName('edge', edgeId)))
    if (recorded.type === 'EdgeFillCompleted' && (recorded.data as { encodingId: string }).encodingId === encodingId)
      return recorded.data as Record<string, number | string>;
  return undefined;
};

const metric = async (edge: EdgeProcess, name: string) =>
  Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(`${edge.url}/metrics`)).text())?.[1]);

const sharedAndNew = (first: PackageIndex, second: PackageIndex) => {
  const held = new Set(first.files.map((file) => file.sha256));
  const shared = second.files.filter((file) => held.has(file.sha256));
  const added = second.files.filter((file) => !held.has(file.sha256));
  const sum = (files: { size: number }[]) => files.reduce((total, file) => total + file.size, 0);
  return { shared, added, sharedBytes: sum(shared), addedBytes: sum(added) };
};

/** What files under `root` take on disk, as `du` counts them: each file (inode) once, whatever its names. */
const diskUse = async (root: string) => {
  const sizes = new Map<string, number>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const stats = await stat(join(entry.parentPath, entry.name));
    sizes.set(`${stats.dev}:${stats.ino}`, stats.size);
  }
  return [...sizes.values()].reduce((total, size) => total + size, 0);
};

const edgeEvents = async (edgeId: string) => {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for await (const recorded of store.readStream(streamName('edge', edgeId)))
    events.push({ type: recorded.type, data: recorded.data as Record<string, unknown> });
  return events;
};

/** What the edge's stream says it holds, summed: the bytes the disk use is checked against. */
const heldOnStream = async (edgeId: string) => {
  const events: EdgeEvent[] = [];
  // The edge's stream holds only edge events.
  for await (const recorded of store.readStream(streamName('edge', edgeId)))
    events.push(readDomainEvent(recorded) as EdgeEvent);
  const state = foldEvents(edgeDecider, events);
  return state.status === 'registered' ? state.held.reduce((total, held) => total + held.bytes, 0) : 0;
};

const heldEncodings = async (edge: EdgeProcess) =>
  (await edgeStatus(edge)).held.map((entry: { encodingId: string }) => entry.encodingId).toSorted();

/** A viewer's request for a file, with what the edge answered it from. */
const play = async (edge: EdgeProcess, titleId: string, file: string, encodingId: string) => {
  const answer = await fetch(viewerUrl(edge.url, titleId, file, { sessionId: `viewer-${encodingId}` }, encodingId));
  await answer.arrayBuffer();
  return [answer.status, answer.headers.get('x-cache')];
};

describe('an edge holding revision 1 of a title', () => {
  it('fills revision 2 by downloading only its new files, and goes on serving revision 1', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { shared, added, sharedBytes, addedBytes } = sharedAndNew(first.index, second.index);
    // The revision shares the video, the first audio track, the sprites and the poster.
    expect(added.map((file) => file.path).toSorted()).toEqual(secondRevisionNew.map((file) => file.path).toSorted());
    expect(sharedBytes).toBeGreaterThan(800_000);

    const { edge, edgeId, content } = await startEdge();
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    const firstDownload = await metric(edge, 'edge_fill_bytes_total');
    expect(firstDownload).toBe(first.index.totalBytes);
    upstreamSent.length = 0;

    // The revision goes live as it succeeds: a second TitlePublished, the first never unpublished.
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');

    // Over the wire: the revision's index, then exactly its new files, each once.
    const sent = upstreamSent.filter((answer) => answer.file.startsWith(`${titleId}/e2/`));
    expect(sent.map((answer) => answer.file.slice(`${titleId}/e2/`.length)).toSorted()).toEqual(
      ['index.json', ...added.map((file) => file.path)].toSorted(),
    );
    const bytesOverTheWire = sent.reduce((total, answer) => total + answer.bytes, 0);
    expect(bytesOverTheWire).toBe(addedBytes + second.indexBytes);
    expect(upstreamSent.filter((answer) => !answer.file.startsWith(`${titleId}/e2/`))).toEqual([]);

    // Reported as such: on the edge's stream, on /status, in the log and the metrics.
    const reported = { downloadedBytes: addedBytes + second.indexBytes, reusedBytes: sharedBytes };
    // The whole package, and the files it shares with revision 1 (which it now holds for the two).
    const secondBytes = second.index.totalBytes + second.indexBytes;
    const adds = addedBytes + second.indexBytes;
    expect(await completedFill(edgeId, 'e2')).toMatchObject({
      bytes: secondBytes,
      ...reported,
      shared: [{ encodingId: 'e1', bytes: sharedBytes }],
    });
    expect(reported.downloadedBytes + reported.reusedBytes).toBe(secondBytes);
    expect((await edgeStatus(edge)).recentFills[0]).toMatchObject({
      titleId,
      encodingId: 'e2',
      bytes: secondBytes,
      sharedBytes,
      ...reported,
    });
    expect(edge.output.find((line) => /fill completed/.test(line) && line.includes('"e2"'))).toContain(
      `"reusedBytes":${sharedBytes}`,
    );
    expect(await metric(edge, 'edge_fill_bytes_total')).toBe(firstDownload + addedBytes);
    expect(await metric(edge, 'edge_fill_reused_bytes_total')).toBe(sharedBytes);
    console.info(
      `revision fill: ${bytesOverTheWire} bytes downloaded (${added.length} files + index.json), ${sharedBytes} bytes reused (${shared.length} files)`,
    );

    // The shared files are one file on disk with two names, and byte for byte the origin's.
    for (const file of shared) {
      const [old, revised] = await Promise.all([
        stat(join(content, titleId, 'e1', file.path)),
        stat(join(content, titleId, 'e2', file.path)),
      ]);
      expect(revised.ino, file.path).toBe(old.ino);
    }
    for (const file of second.index.files) {
      const copy = await readFile(join(content, titleId, 'e2', file.path));
      expect(copy.equals(await readFile(join(originDir, titleId, 'e2', file.path))), file.path).toBe(true);
    }

    // What the edge counts as used is what its disk holds: the shared video once, not twice.
    const firstBytes = first.index.totalBytes + (await stat(join(originDir, titleId, 'e1', 'index.json'))).size;
    const status = await edgeStatus(edge);
    expect(status.usedBytes).toBe(await diskUse(content));
    expect(status.usedBytes).toBe(firstBytes + adds);
    // And what the edge's stream says it holds, for the operators' inventory and the next fill's room.
    expect(await heldOnStream(edgeId)).toBe(status.usedBytes);
    const events = (await edgeEvents(edgeId)).filter((event) => event.type === 'EdgeFillCompleted');
    expect(events.map((event) => event.data.bytes)).toEqual([firstBytes, secondBytes]);
    console.info(
      `revision pair: ${firstBytes + secondBytes} bytes when each package counted whole, ${status.usedBytes} held on the stream and used (the disk holds ${await diskUse(content)})`,
    );

    // A viewer who started on revision 1 finishes it from this edge; revision 2 serves its captions.
    const held = (await edgeStatus(edge)).held.map((entry: { encodingId: string }) => entry.encodingId).toSorted();
    expect(held).toEqual(['e1', 'e2']);
    const old = await fetch(viewerUrl(edge.url, titleId, segmentName('v720', 3), {}, 'e1'));
    expect([old.status, old.headers.get('x-cache')]).toEqual([200, 'hit']);
    const oldManifest = await fetch(viewerUrl(edge.url, titleId, 'manifest.mpd', {}, 'e1'));
    expect([oldManifest.status, oldManifest.headers.get('x-cache')]).toEqual([200, 'hit']);
    expect(await oldManifest.text()).not.toContain('contentType="text"');
    const captions = await fetch(viewerUrl(edge.url, titleId, 'captions-fr.vtt', {}, 'e2'));
    expect([captions.status, captions.headers.get('content-type'), captions.headers.get('x-cache')]).toEqual([
      200,
      'text/vtt; charset=utf-8',
      'hit',
    ]);
    expect(await captions.text()).toBe(storedCaptions('fr'));
    const manifest = await (await fetch(viewerUrl(edge.url, titleId, 'manifest.mpd', { maxHeight: 360 }, 'e2'))).text();
    expect(manifest).toContain('lang="fr"');
    expect(manifest).toContain('<BaseURL>captions-fr.vtt</BaseURL>');
    expect(manifest).toContain('contentType="image"');
  });

  it('evicting the old revision leaves the files it shared with the new one whole', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const other = await writePackage(originDir, `${titleId}-other`, 'e1', [{ path: 'poster.jpg', bytes: 200_000 }]);
    const packageBytes = async (titleDir: string, encodingId: string, index: PackageIndex) =>
      index.totalBytes + (await stat(join(originDir, titleDir, encodingId, 'index.json'))).size;
    const bytes = {
      first: await packageBytes(titleId, 'e1', first.index),
      second: await packageBytes(titleId, 'e2', second.index),
      other: await packageBytes(`${titleId}-other`, 'e1', other.index),
    };
    // Room for both revisions as the disk holds them (the shared files once), not for a third
    // package as well: one of them has to go, and it is the revision nobody watches.
    const { sharedBytes } = sharedAndNew(first.index, second.index);
    const secondAdds = bytes.second - sharedBytes;
    const { edge, edgeId, content } = await startEdge({
      EDGE_CAPACITY: String(bytes.first + secondAdds + bytes.other - 1),
    });
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    const bothHeld = await diskUse(content);
    const shared = segmentName('v720', 1);
    const [old, revised] = await Promise.all(
      ['e1', 'e2'].map((encodingId) => stat(join(content, titleId, encodingId, shared))),
    );
    expect(revised?.ino).toBe(old?.ino);
    // Revision 2 is watched since, so revision 1 is the least recently served.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await fetch(viewerUrl(edge.url, titleId, 'master.m3u8', {}, 'e2'))).status).toBe(200);

    await publish(store, `${titleId}-other`, 'e1');
    await filled(edge, `${titleId}-other`, 'e1');
    // Recorded as freeing what it alone held: the shared files stay, held by revision 2.
    const events = await edgeEvents(edgeId);
    expect(events.filter((event) => event.type === 'EdgeEvicted').map((event) => event.data)).toEqual([
      expect.objectContaining({ titleId, encodingId: 'e1', reason: 'capacity', bytes: bytes.first - sharedBytes }),
    ]);
    expect(bothHeld + bytes.other - (await diskUse(content))).toBe(bytes.first - sharedBytes);
    await expect(stat(join(content, titleId, 'e1'))).rejects.toThrow();
    expect((await edgeStatus(edge)).usedBytes).toBe(await diskUse(content));
    expect(await heldOnStream(edgeId)).toBe(await diskUse(content));
    for (const file of second.index.files) {
      const served = await fetch(viewerUrl(edge.url, titleId, file.path, {}, 'e2'));
      expect([served.status, served.headers.get('x-cache')], file.path).toEqual([200, 'hit']);
      const body = Buffer.from(await served.arrayBuffer());
      if (!['manifest.mpd', 'master.m3u8'].includes(file.path))
        expect(body.equals(await readFile(join(originDir, titleId, 'e2', file.path))), file.path).toBe(true);
    }
  });

  it('with room for one revision only and nobody watching revision 1, still takes the shared files from the revision it evicts for the new one', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { added, addedBytes, sharedBytes } = sharedAndNew(first.index, second.index);
    const { edge, edgeId } = await startEdge({ EDGE_CAPACITY: String(second.index.totalBytes + second.indexBytes) });
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    upstreamSent.length = 0;
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    expect((await edgeStatus(edge)).held.map((entry: { encodingId: string }) => entry.encodingId)).toEqual(['e2']);
    const sent = upstreamSent.filter((answer) => answer.file.startsWith(`${titleId}/e2/`));
    expect(sent).toHaveLength(added.length + 1);
    expect(sent.reduce((total, answer) => total + answer.bytes, 0)).toBe(addedBytes + second.indexBytes);
    expect(await completedFill(edgeId, 'e2')).toMatchObject({ reusedBytes: sharedBytes });
    const segment = await fetch(viewerUrl(edge.url, titleId, segmentName('v720', 2), {}, 'e2'));
    expect(
      Buffer.from(await segment.arrayBuffer()).equals(
        await readFile(join(originDir, titleId, 'e2', segmentName('v720', 2))),
      ),
    ).toBe(true);
  });

  it('with room for one revision only, lets a viewer mid-play finish revision 1 from its disk, and never fills it again', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { edge, edgeId } = await startEdge({ EDGE_CAPACITY: String(second.index.totalBytes + second.indexBytes) });
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    // A viewer starts revision 1: its manifest and first segments.
    for (const file of ['manifest.mpd', 'init-v720.m4s', segmentName('v720', 1), segmentName('a0', 1)])
      expect(await play(edge, titleId, file, 'e1'), file).toEqual([200, 'hit']);
    upstreamSent.length = 0;

    await publish(store, titleId, 'e2');
    // The revision would need revision 1's room: it waits, as revision 1 is being watched.
    await eventually(
      async () =>
        edge.output.some((line) => /fill could not start/.test(line) && line.includes(titleId)) ||
        (await heldEncodings(edge)).includes('e2'),
      20_000,
      'the revision to be tried',
    );
    // The viewer on revision 1 gets every remaining segment from this edge's disk.
    for (let n = 2; n <= segments; n += 1)
      for (const rung of ['v720', 'a0'])
        expect(await play(edge, titleId, segmentName(rung, n), 'e1'), `${rung} ${n}`).toEqual([200, 'hit']);
    // A new session plays the revision, streamed through from the upstream meanwhile.
    expect(await play(edge, titleId, segmentName('v720', 1), 'e2')).toEqual([200, 'miss']);
    expect(await heldEncodings(edge)).toEqual(['e1']);
    // Nothing of revision 1 came from the upstream again, and it was neither evicted nor filled again.
    expect(upstreamSent.filter((answer) => answer.file.startsWith(`${titleId}/e1/`))).toEqual([]);
    const events = await edgeEvents(edgeId);
    expect(events.filter((event) => event.type === 'EdgeEvicted')).toEqual([]);
    expect(events.filter((event) => event.type === 'EdgeFillStarted').map((event) => event.data.encodingId)).toEqual([
      'e1',
    ]);
  });

  it('evicting revision 2 while a viewer keeps revision 1 records what the disk freed, and leaves revision 1 its shared files', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { sharedBytes, addedBytes } = sharedAndNew(first.index, second.index);
    const wholeBytes = async (written: { dir: string; index: PackageIndex }) =>
      written.index.totalBytes + (await stat(join(written.dir, 'index.json'))).size;
    const firstBytes = await wholeBytes(first);
    const secondOwn = addedBytes + second.indexBytes;
    const bothHeld = firstBytes + secondOwn;
    const otherBytes = await wholeBytes(
      await writePackage(originDir, `${titleId}-next`, 'e1', packageLayout(4_000, 2)),
    );
    // Room for both revisions and the next title only once revision 2's own files go.
    const { edge, edgeId, content } = await startEdge({
      EDGE_CAPACITY: String(bothHeld + otherBytes - Math.floor(secondOwn / 2)),
    });
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    expect(await diskUse(content)).toBe(bothHeld);
    // A viewer on revision 1 keeps it from eviction; revision 2, unplayed, is the one to go.
    expect(await play(edge, titleId, segmentName('v720', 1), 'e1')).toEqual([200, 'hit']);
    await publish(store, `${titleId}-next`, 'e1');
    await filled(edge, `${titleId}-next`);

    const held = (await edgeStatus(edge)).held.map(
      (entry: { titleId: string; encodingId: string }) => `${entry.titleId}/${entry.encodingId}`,
    );
    expect(held.toSorted()).toEqual([`${titleId}-next/e1`, `${titleId}/e1`]);
    const evicted = (await edgeEvents(edgeId)).filter((event) => event.type === 'EdgeEvicted');
    expect(evicted.map((event) => event.data)).toEqual([
      expect.objectContaining({
        titleId,
        encodingId: 'e2',
        reason: 'capacity',
        bytes: secondOwn,
        kept: [{ encodingId: 'e1', bytes: sharedBytes }],
      }),
    ]);
    // The stream, the edge and du agree: revision 1 is charged its whole package again.
    const used = await diskUse(content);
    expect(used).toBe(firstBytes + otherBytes);
    expect((await edgeStatus(edge)).usedBytes).toBe(used);
    expect(await heldOnStream(edgeId)).toBe(used);
    // Revision 1 is whole on the disk: the viewer goes on from it.
    expect(await play(edge, titleId, segmentName('v720', 2), 'e1')).toEqual([200, 'hit']);
  });

  it('revision 2 deleted from disk while the edge was down: recorded gone at restart, revision 1 charged its shared files again', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { sharedBytes, addedBytes } = sharedAndNew(first.index, second.index);
    const { edge, edgeId, content } = await startEdge();
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    await edge.stop();
    // An operator's rm, or a crash between removing the files and recording it.
    await rm(join(content, titleId, 'e2'), { recursive: true });

    const restarted = await startEdge({ EDGE_PORT: new URL(edge.url).port });
    const evicted = await eventually(
      async () => (await edgeEvents(edgeId)).find((event) => event.type === 'EdgeEvicted'),
      10_000,
      'the missing revision to be recorded',
    );
    expect(evicted.data).toMatchObject({
      titleId,
      encodingId: 'e2',
      reason: 'operator',
      bytes: addedBytes + second.indexBytes,
      kept: [{ encodingId: 'e1', bytes: sharedBytes }],
    });
    const used = await diskUse(content);
    expect((await edgeStatus(restarted.edge)).usedBytes).toBe(used);
    expect(await heldOnStream(edgeId)).toBe(used);
  });

  it('unpublishing the title removes both revisions, each recorded with what it freed', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    await writePackage(originDir, titleId, 'e1', firstRevision);
    await writeRevision(titleId, 'e1', 'e2');
    const { edge, edgeId, content } = await startEdge();
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    const bothHeld = await diskUse(content);
    await unpublish(store, titleId, 'e2');
    // Gone from disk, then recorded on the stream.
    await eventually(
      async () => (await edgeEvents(edgeId)).filter((event) => event.type === 'EdgeEvicted').length === 2 || undefined,
      10_000,
      'the title to go',
    );
    expect(await heldEncodings(edge)).toEqual([]);
    expect(await diskUse(content)).toBe(0);
    expect(await heldOnStream(edgeId)).toBe(0);
    const evicted = (await edgeEvents(edgeId)).filter((event) => event.type === 'EdgeEvicted');
    expect(evicted.map((event) => [event.data.encodingId, event.data.reason])).toEqual([
      ['e1', 'unpublished'],
      ['e2', 'unpublished'],
    ]);
    expect(evicted.reduce((total, event) => total + Number(event.data.bytes), 0)).toBe(bothHeld);
  });

  it('removes revision 1 once nobody has played it for the grace, freeing what it alone held', async () => {
    const titleId = `t-rev-${Math.random().toString(36).slice(2, 8)}`;
    const first = await writePackage(originDir, titleId, 'e1', firstRevision);
    const second = await writeRevision(titleId, 'e1', 'e2');
    const { shared } = sharedAndNew(first.index, second.index);
    const { edge, edgeId, content } = await startEdge({ SUPERSEDED_GRACE_SECONDS: '2' });
    await publish(store, titleId, 'e1');
    await filled(edge, titleId, 'e1');
    await publish(store, titleId, 'e2');
    await filled(edge, titleId, 'e2');
    const bothHeld = (await edgeStatus(edge)).usedBytes;
    expect(bothHeld).toBe(await diskUse(content));
    expect(await heldOnStream(edgeId)).toBe(bothHeld);

    // A viewer still on revision 1 keeps it, past the grace.
    const playing = Date.now();
    for (let n = 0; Date.now() - playing < 3_000; n += 1) {
      expect(await play(edge, titleId, segmentName('v720', (n % segments) + 1), 'e1')).toEqual([200, 'hit']);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(await heldEncodings(edge)).toEqual(['e1', 'e2']);

    // Then nobody plays it: it goes within the grace (and a check), the shared files staying for revision 2.
    await eventually(
      async () => (await heldEncodings(edge)).join() === 'e2' || undefined,
      10_000,
      'revision 1 to be removed',
    );
    // Gone from disk, then recorded on the stream.
    await eventually(
      async () => (await edgeEvents(edgeId)).some((event) => event.type === 'EdgeEvicted') || undefined,
      10_000,
      'its removal to be recorded',
    );
    await expect(stat(join(content, titleId, 'e1'))).rejects.toThrow();
    const status = await edgeStatus(edge);
    expect(status.usedBytes).toBe(await diskUse(content));
    expect(status.usedBytes).toBe(second.index.totalBytes + second.indexBytes);
    expect(status.usedBytes).toBeLessThan(bothHeld);
    expect(await heldOnStream(edgeId)).toBe(status.usedBytes);
    console.info(`revision 1 removed after the grace: used bytes ${bothHeld} -> ${status.usedBytes}`);
    // Recorded as a superseded revision's removal, freeing exactly what the disk gave back.
    expect((await edgeEvents(edgeId)).filter((event) => event.type === 'EdgeEvicted')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          titleId,
          encodingId: 'e1',
          reason: 'superseded',
          bytes: bothHeld - status.usedBytes,
        }),
      }),
    ]);
    for (const file of shared) expect(await play(edge, titleId, file.path, 'e2'), file.path).toEqual([200, 'hit']);
    // A late request for revision 1 is streamed through, and does not fill it again.
    upstreamSent.length = 0;
    expect(await play(edge, titleId, segmentName('v720', 4), 'e1')).toEqual([200, 'miss']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(upstreamSent.map((answer) => answer.file)).toEqual([`${titleId}/e1/${segmentName('v720', 4)}`]);
  });
});
