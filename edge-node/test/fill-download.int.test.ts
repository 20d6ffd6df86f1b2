import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '@marquee/platform';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEdgeDisk } from '../src/content-disk';
import { createEdgeMetrics } from '../src/edge-metrics';
import { downloadPackage, fetchPackageIndex, packageSource } from '../src/fill-download';
import { contentTokenSecret, packageLayout, writePackage } from './edge-fixtures';

/*
 * One package downloaded from a plain HTTP upstream onto an edge's disk, as the fill agent runs
 * it: files in folders of their own (audio per language, captions) arrive whole and in place,
 * and a fill cut off by a crash fetches only what it did not finish.
 */

const titleId = 't-nested';
const encodingId = 'e1';
// Two rungs of 300 kB segments, plus files in nested folders as a package with audio and captions has them.
const layout = [
  ...packageLayout(300_000, 3),
  { path: 'audio/en/init-a.m4s', bytes: 700 },
  { path: 'audio/en/segment-a-00001.m4s', bytes: 2_500_000 },
  { path: 'audio/fr/segment-a-00001.m4s', bytes: 90_000 },
  { path: 'captions/en.vtt', text: 'WEBVTT\n' },
];

let dir: string;
let requested: string[];
let closeUpstream: () => void;

/** Serves `<origin>/<title>/<encoding>/<file>` for `/c/<token>/…`, and notes which files were asked for. */
const startUpstream = async (originDir: string) => {
  const server = createServer((req, res) => {
    const [, , , title = '', encoding = '', ...rest] = (req.url ?? '').split('/');
    const file = decodeURIComponent(rest.join('/'));
    requested.push(file);
    readFile(join(originDir, title, encoding, file)).then(
      (body) => res.writeHead(200, { 'content-length': body.length }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closeUpstream = () => {
    server.closeAllConnections();
    server.close();
  };
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-fill-download-'));
  requested = [];
});
afterEach(async () => {
  closeUpstream?.();
  await rm(dir, { recursive: true, force: true });
});

const download = async (upstream: string) => {
  const disk = await openEdgeDisk(join(dir, 'edge'));
  const source = packageSource({ upstream, contentTokenSecret, titleId, encodingId });
  const signal = new AbortController().signal;
  const fetched = await fetchPackageIndex(source, signal);
  const progress = { bytesDone: 0 };
  await downloadPackage({
    disk,
    source,
    fetched,
    concurrency: 4,
    limiter: undefined,
    signal,
    progress,
    metrics: createEdgeMetrics(() => disk.usedBytes()),
    logger: createLogger('fill-download-test', 'silent'),
  });
  return { disk, progress, total: fetched.index.totalBytes };
};

describe('downloading a package whose files sit in nested folders', () => {
  it('moves it into place whole: every file byte for byte as the origin has it, index.json included', async () => {
    const origin = await writePackage(join(dir, 'origin'), titleId, encodingId, layout);
    const { disk, progress, total } = await download(await startUpstream(join(dir, 'origin')));

    expect(disk.holds(titleId, encodingId)).toBe(true);
    expect(progress.bytesDone).toBe(total);
    const served = join(disk.contentDir, titleId, encodingId);
    for (const file of [...layout.map((each) => each.path), 'index.json'])
      expect((await readFile(join(served, file))).equals(await readFile(join(origin.dir, file))), file).toBe(true);
    expect(await readdir(join(dir, 'edge', 'partial', titleId))).toEqual([]);
  });

  it('after a crash, fetches only the files it had not finished, and drops the half-written one', async () => {
    const origin = await writePackage(join(dir, 'origin'), titleId, encodingId, layout);
    // What a run killed mid-fill leaves: two verified files (one nested) and a part of a third.
    const partial = join(dir, 'edge', 'partial', titleId, encodingId);
    for (const file of ['audio/en/segment-a-00001.m4s', 'poster.jpg']) {
      await mkdir(dirname(join(partial, file)), { recursive: true });
      await copyFile(join(origin.dir, file), join(partial, file));
    }
    await mkdir(join(partial, 'audio', 'fr'), { recursive: true });
    await writeFile(join(partial, 'audio', 'fr', 'segment-a-00001.m4s.1a2b3c4d.part'), Buffer.alloc(1000));

    const { disk } = await download(await startUpstream(join(dir, 'origin')));

    expect(disk.holds(titleId, encodingId)).toBe(true);
    expect(requested).not.toContain('audio/en/segment-a-00001.m4s');
    expect(requested).not.toContain('poster.jpg');
    expect(requested).toContain('audio/fr/segment-a-00001.m4s');
    const served = join(disk.contentDir, titleId, encodingId);
    expect((await readdir(join(served, 'audio', 'fr'))).sort()).toEqual(['segment-a-00001.m4s']);
    expect(
      (await readFile(join(served, 'audio/fr/segment-a-00001.m4s'))).equals(
        await readFile(join(origin.dir, 'audio/fr/segment-a-00001.m4s')),
      ),
    ).toBe(true);
  });
});
