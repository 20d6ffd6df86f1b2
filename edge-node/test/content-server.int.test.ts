import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentPathPrefix, createLogger, signContentToken } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOriginDisk } from '../src/content-disk';
import { createEdgeServer } from '../src/edge-app';
import { createEdgeMetrics } from '../src/edge-metrics';
import { heldLocation, startNginxFront } from '../src/nginx-front';
import { freePort } from '../src/testing';
import { contentTokenSecret, packageLayout, writePackage } from './edge-fixtures';

/*
 * Serving, over real HTTP with raw request paths (fetch would resolve `..` before sending):
 * tokens, path escapes, Range, validators, CORS and content types.
 */

let dir: string;
let server: Server;
let port: number;
let front: { stop(): Promise<void> } | undefined;
const titleId = 't-serve';
const prefix = contentPathPrefix(titleId, 'e1');
const token = signContentToken(contentTokenSecret, prefix, { ttlSeconds: 600 }).token;
const segment = 'video/360p/seg-1.m4s';
let segmentBytes: Buffer;

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
const withToken = (path: string, value = token) => `${path}?token=${value}`;

const start = async (mode: 'node' | 'nginx') => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-serve-'));
  const origin = join(dir, 'origin');
  await writePackage(origin, titleId, 'e1', packageLayout(300_000, 2));
  await writePackage(origin, 't-other', 'e1', packageLayout(1_000, 1));
  const { readFile } = await import('node:fs/promises');
  segmentBytes = await readFile(join(origin, titleId, 'e1', segment));
  // Secrets beside the content root, and links that lead out to them.
  await mkdir(join(dir, 'secret'), { recursive: true });
  await writeFile(join(dir, 'secret', 'passwd'), 'root:x:0:0');
  await symlink(join(dir, 'secret', 'passwd'), join(origin, titleId, 'e1', 'link.m4s'));
  await symlink(join(dir, 'secret'), join(origin, titleId, 'e1', 'linked-dir'));
  const metrics = createEdgeMetrics(() => 0);
  server = createEdgeServer({
    identity: { role: 'origin' },
    ...(mode === 'nginx' && { accelRedirect: heldLocation }),
    disk: await openOriginDisk(origin),
    contentTokenSecret,
    metrics,
    logger: createLogger('origin', 'silent'),
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  if (mode === 'nginx') {
    const programPort = port;
    port = await freePort();
    front = await startNginxFront({
      host: '127.0.0.1',
      port,
      node: `127.0.0.1:${programPort}`,
      contentDir: origin,
      workDir: join(dir, 'nginx'),
      logger: createLogger('origin', 'silent'),
    });
  }
};
const stop = async () => {
  await front?.stop();
  front = undefined;
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
};

// The same behaviour whether this program sends the bytes or nginx does (EDGE_SERVE_WITH=nginx).
describe.each(['node', 'nginx'] as const)('served by %s', (mode) => {
  beforeAll(() => start(mode));
  afterAll(stop);

  describe('content tokens', () => {
    it('serves a file with a valid token', async () => {
      const answer = await get(withToken(`${prefix}${segment}`));
      expect(answer.status).toBe(200);
      expect(answer.body.equals(segmentBytes)).toBe(true);
    });
    it('refuses a missing, malformed, expired, tampered or other-title token with 403 and a reason', async () => {
      const expired = signContentToken(contentTokenSecret, prefix, {
        ttlSeconds: 60,
        now: new Date(Date.now() - 3_600_000),
      }).token;
      const [expiry, signature] = token.split('.') as [string, string];
      const tampered = `${Number(expiry) + 3600}.${signature}`;
      const forged = signContentToken('another-secret-0123456789abcdefghijkl', prefix, { ttlSeconds: 600 }).token;
      const otherTitle = signContentToken(contentTokenSecret, contentPathPrefix('t-other', 'e1'), {
        ttlSeconds: 600,
      }).token;
      const cases: [string, RegExp][] = [
        [`${prefix}${segment}`, /Send the content token/],
        [withToken(`${prefix}${segment}`, 'nonsense'), /Send the content token/],
        [withToken(`${prefix}${segment}`, expired), /expired/],
        [withToken(`${prefix}${segment}`, tampered), /not valid for this title/],
        [withToken(`${prefix}${segment}`, forged), /not valid for this title/],
        [withToken(`${prefix}${segment}`, otherTitle), /not valid for this title/],
      ];
      for (const [path, message] of cases) {
        const answer = await get(path);
        expect(answer.status, path).toBe(403);
        expect(JSON.parse(answer.body.toString()).message).toMatch(message);
      }
      // The other title's own files open with its token.
      expect((await get(withToken(`${contentPathPrefix('t-other', 'e1')}manifest.mpd`, otherTitle))).status).toBe(200);
    });
  });

  describe('paths that escape the content root', () => {
    it('answer 404 and read nothing, whatever the encoding or the token', async () => {
      const escapes = [
        `${prefix}../../../secret/passwd`,
        `${prefix}..%2f..%2f..%2fsecret%2fpasswd`,
        `${prefix}%2e%2e/%2e%2e/%2e%2e/secret/passwd`,
        `${prefix}%2E%2E/%2E%2E/%2E%2E/secret/passwd`,
        `${prefix}video/../../../../secret/passwd`,
        `${prefix}/${dir}/secret/passwd`,
        `${prefix}%2F${encodeURIComponent(dir)}%2Fsecret%2Fpasswd`,
        `${prefix}..%5c..%5csecret%5cpasswd`,
        `${prefix}video%00.m4s`,
        `${prefix}%zz`,
        `${prefix}.hidden`,
        `/content/../secret/passwd`,
        `/content/${titleId}/..%2F/passwd`,
        `${prefix}link.m4s`,
        `${prefix}linked-dir/passwd`,
      ];
      for (const path of escapes) {
        const answer = await get(withToken(path));
        // nginx answers an encoded NUL or a broken escape itself, with 400, before anything is looked up.
        const refusals = mode === 'nginx' && /%00|%zz/.test(path) ? [400, 404] : [404];
        expect(refusals, path).toContain(answer.status);
        expect(answer.body.toString()).not.toContain('root:x');
      }
    });
    it('answer 404 for a file the package does not have', async () => {
      expect((await get(withToken(`${prefix}video/360p/seg-99.m4s`))).status).toBe(404);
      expect((await get(withToken(`${prefix}video`))).status).toBe(404);
    });
  });

  describe('HTTP semantics', () => {
    it('answers a Range with 206 and exactly those bytes, and an unsatisfiable one with 416', async () => {
      const part = await get(withToken(`${prefix}${segment}`), { range: 'bytes=1000-1999' });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 1000-1999/${segmentBytes.length}`);
      expect(part.headers['content-length']).toBe('1000');
      expect(part.body.equals(segmentBytes.subarray(1000, 2000))).toBe(true);
      const tail = await get(withToken(`${prefix}${segment}`), { range: 'bytes=-500' });
      expect(tail.body.equals(segmentBytes.subarray(segmentBytes.length - 500))).toBe(true);
      const beyond = await get(withToken(`${prefix}${segment}`), { range: `bytes=${segmentBytes.length + 10}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe(`bytes */${segmentBytes.length}`);
    });
    it('sends validators and answers a conditional request with 304', async () => {
      const first = await get(withToken(`${prefix}${segment}`));
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(new Date(first.headers['last-modified'] as string).getTime()).toBeGreaterThan(0);
      expect((await get(withToken(`${prefix}${segment}`), { 'if-none-match': etag })).status).toBe(304);
      const since = first.headers['last-modified'] as string;
      expect((await get(withToken(`${prefix}${segment}`), { 'if-modified-since': since })).status).toBe(304);
      // If-Range with a stale validator gets the whole file, not a range of something else.
      const stale = await get(withToken(`${prefix}${segment}`), { range: 'bytes=0-9', 'if-range': '"old"' });
      expect(stale.status).toBe(200);
      expect(stale.body.length).toBe(segmentBytes.length);
    });
    it('marks content immutable, cross-origin readable, and typed for DASH', async () => {
      const types: [string, string][] = [
        ['manifest.mpd', 'application/dash+xml'],
        [segment, 'video/iso.segment'],
        ['poster.jpg', 'image/jpeg'],
        ['index.json', 'application/json; charset=utf-8'],
      ];
      for (const [file, type] of types) {
        const answer = await get(withToken(`${prefix}${file}`));
        expect(answer.headers['content-type'], file).toBe(type);
        expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(answer.headers['access-control-allow-origin']).toBe('*');
        expect(answer.headers['access-control-expose-headers']).toMatch(/Content-Range/);
      }
      const preflight = await get(
        `${prefix}${segment}`,
        { origin: 'http://player', 'access-control-request-headers': 'range' },
        'OPTIONS',
      );
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Range/);
    });
    it('answers HEAD with the headers only, and other methods with 405', async () => {
      const head = await get(withToken(`${prefix}${segment}`), {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(segmentBytes.length));
      expect(head.body.length).toBe(0);
      expect((await get(withToken(`${prefix}${segment}`), {}, 'DELETE')).status).toBe(405);
    });
    it('counts what it served on /metrics', async () => {
      const metrics = (await get('/metrics')).body.toString();
      expect(Number(/^edge_bytes_served_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(segmentBytes.length);
      expect(metrics).toMatch(/edge_content_requests_total\{result="refused"\} [1-9]/);
      expect(metrics).toMatch(/edge_content_requests_total\{result="hit"\} [1-9]/);
    });
  });
});
