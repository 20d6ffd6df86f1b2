import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ContentGrant,
  contentPath,
  contentTokenRefusals,
  createLogger,
  rungRefusal,
  signContentToken,
  verifyContentToken,
} from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEdgeMetrics } from '../src/edge-metrics';
import { type NginxFront, type ServedByNginx, startNginxFront } from '../src/nginx-front';
import { freePort } from '../src/testing';
import { rawGet } from './edge-fixtures';

/*
 * nginx in front (EDGE_SERVE_WITH=nginx) decides segment hits itself, with njs. For every kind of
 * token, its verdict must be Node's: a hit is sent by nginx (X-Cache: hit) without a request
 * reaching the program; anything else reaches the program unchanged, which answers the reason.
 * The program here is a stub that decides with the platform's own functions.
 */

const secret = 'nginx-test-content-secret-0123456789abcdef';
let dir: string;
let contentDir: string;
let port: number;
let program: Server;
let front: NginxFront;
const programRequests: string[] = [];
const unavailable = new Set<string>();
const served: ServedByNginx[] = [];
const metrics = createEdgeMetrics(() => 0);
const touched: string[] = [];
const files: Record<string, Buffer> = {};
const nginxLogger = createLogger('nginx-test', 'warn');

const grant: ContentGrant = { sessionId: 'session-1', maxHeight: 720, region: 'eu', pathways: ['edge-a'] };
const sign = (titleId: string, override: Partial<ContentGrant> = {}, ttlSeconds = 600, now = new Date()) =>
  signContentToken(secret, { titleId, encodingId: 'e1' }, { ...grant, ...override }, { ttlSeconds, now }).token;

/** What the Node program decides for this request, with the platform's functions. */
const nodeVerdict = (token: string, titleId: string, file: string) => {
  const check = verifyContentToken(secret, token, { titleId, encodingId: 'e1' });
  if (!check.ok) return { error: 'Forbidden', message: contentTokenRefusals[check.reason] };
  const rung = rungRefusal(check.claims, file);
  if (rung) return { error: 'Forbidden', message: rung };
  if (unavailable.has(titleId)) return { error: 'TitleUnavailable', message: 'This title is no longer available.' };
  return undefined;
};

const stubProgram = () =>
  createServer((req, res) => {
    programRequests.push(req.url ?? '');
    if (req.url === '/healthz') return res.end('ok');
    const match = /^\/c\/([^/]+)\/([^/]+)\/e1\/([^?]+)/.exec(req.url ?? '');
    const refusal = match ? nodeVerdict(match[1] ?? '', match[2] ?? '', match[3] ?? '') : undefined;
    res.writeHead(refusal ? 403 : match ? 200 : 404, { 'Content-Type': 'application/json', 'X-Cache': 'program' });
    res.end(JSON.stringify(refusal ?? { from: 'program' }));
  });

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => rawGet(port, path, headers, method);

/** Asks nginx, and says who answered. */
const fetchCounted = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
  const before = programRequests.length;
  const answer = await get(path, headers, method);
  return { ...answer, reachedProgram: programRequests.length > before };
};

const writeFiles = async (titleId: string) => {
  const folder = join(contentDir, titleId, 'e1');
  await mkdir(folder, { recursive: true });
  for (const [file, size] of [
    ['init-v720.m4s', 900],
    ['segment-v720-00001.m4s', 70_000],
    ['segment-v1080-00001.m4s', 120_000],
    ['init-a0.m4s', 500],
    ['segment-a0-00001.m4s', 8_000],
    ['manifest.mpd', 300],
  ] as const) {
    const bytes = Buffer.alloc(size, `${titleId}/${file}`);
    files[`${titleId}/${file}`] = bytes;
    await writeFile(join(folder, file), bytes);
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-nginx-front-'));
  contentDir = join(dir, 'content');
  await writeFiles('t1');
  await writeFiles('t2');
  await writeFile(join(dir, 'outside.m4s'), 'not content');
  await symlink(join(dir, 'outside.m4s'), join(contentDir, 't1', 'e1', 'segment-v360-00009.m4s'));
  const socket = join(dir, 'program.sock');
  program = stubProgram();
  await new Promise<void>((done) => program.listen(socket, done));
  port = await freePort();
  front = await startNginxFront({
    host: '127.0.0.1',
    port,
    node: `unix:${socket}`,
    contentDir,
    workDir: join(dir, 'nginx'),
    contentTokenSecret: secret,
    metrics,
    touch: (titleId, encodingId) => touched.push(`${titleId}/${encodingId}`),
    onServed: (entry) => served.push(entry),
    logIntervalMs: 100,
    logger: nginxLogger,
  });
});

afterAll(async () => {
  await front?.stop();
  program?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('nginx decides segment hits with njs, as Node would', () => {
  const hour = 3600;
  const cases: { name: string; titleId: string; file: string; token: () => string }[] = [
    {
      name: 'a valid token, a rung within the cap',
      titleId: 't1',
      file: 'segment-v720-00001.m4s',
      token: () => sign('t1'),
    },
    { name: 'a valid token, an init segment', titleId: 't1', file: 'init-v720.m4s', token: () => sign('t1') },
    { name: 'a valid token, audio', titleId: 't1', file: 'segment-a0-00001.m4s', token: () => sign('t1') },
    {
      name: 'a token with no cap, the top rung',
      titleId: 't1',
      file: 'segment-v1080-00001.m4s',
      token: () => sign('t1', { maxHeight: null }),
    },
    {
      name: 'a fill token (no session, no cap)',
      titleId: 't1',
      file: 'segment-v1080-00001.m4s',
      token: () => sign('t1', { sessionId: null, maxHeight: null, region: null, pathways: [] }),
    },
    { name: 'a rung above the cap', titleId: 't1', file: 'segment-v1080-00001.m4s', token: () => sign('t1') },
    {
      name: 'an init segment above the cap',
      titleId: 't1',
      file: 'init-v720.m4s',
      token: () => sign('t1', { maxHeight: 480 }),
    },
    {
      name: 'an expired token',
      titleId: 't1',
      file: 'segment-v720-00001.m4s',
      token: () => sign('t1', {}, 60, new Date(Date.now() - 2 * hour * 1000)),
    },
    { name: "another title's token", titleId: 't1', file: 'segment-v720-00001.m4s', token: () => sign('t2') },
    {
      name: 'tampered claims (a higher cap)',
      titleId: 't1',
      file: 'segment-v1080-00001.m4s',
      token: () => {
        const [, mac] = sign('t1').split('.');
        const claims = Buffer.from(
          JSON.stringify({ x: Math.floor(Date.now() / 1000) + hour, s: 'session-1', h: 2160 }),
        ).toString('base64url');
        return `${claims}.${mac}`;
      },
    },
    {
      name: 'a tampered signature',
      titleId: 't1',
      file: 'segment-v720-00001.m4s',
      token: () => {
        const token = sign('t1');
        return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      },
    },
    {
      name: 'signed with another secret',
      titleId: 't1',
      file: 'segment-v720-00001.m4s',
      token: () =>
        signContentToken('another-secret-0123456789abcdefghijkl', { titleId: 't1', encodingId: 'e1' }, grant, {
          ttlSeconds: 600,
        }).token,
    },
    {
      name: 'claims of the wrong type, signed',
      titleId: 't1',
      file: 'segment-v720-00001.m4s',
      token: () => {
        const claims = Buffer.from(JSON.stringify({ x: Math.floor(Date.now() / 1000) + hour, h: '720' })).toString(
          'base64url',
        );
        const mac = createHmac('sha256', secret).update(`t1/e1\n${claims}`).digest('base64url');
        return `${claims}.${mac}`;
      },
    },
    { name: 'a malformed token', titleId: 't1', file: 'segment-v720-00001.m4s', token: () => 'not-a-token' },
  ];

  for (const each of cases)
    it(`${each.name}: the same verdict as Node`, async () => {
      const token = each.token();
      const expected = nodeVerdict(token, each.titleId, each.file);
      const answer = await fetchCounted(contentPath(token, each.titleId, 'e1', each.file));
      if (expected) {
        expect(answer.reachedProgram).toBe(true);
        expect(answer.status).toBe(403);
        expect(JSON.parse(answer.body.toString())).toEqual(expected);
      } else {
        expect(answer.reachedProgram).toBe(false);
        expect(answer.status).toBe(200);
        expect(answer.headers['x-cache']).toBe('hit');
        expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(answer.headers['access-control-allow-origin']).toBe('*');
        expect(answer.headers['content-type']).toBe('video/iso.segment');
        expect(answer.headers.etag).toBeTruthy();
        expect(answer.body.equals(files[`${each.titleId}/${each.file}`] ?? Buffer.alloc(0))).toBe(true);
      }
    });

  it('sends ranges, HEAD and 304s itself', async () => {
    const path = contentPath(sign('t1'), 't1', 'e1', 'segment-v720-00001.m4s');
    const range = await fetchCounted(path, { Range: 'bytes=10-19' });
    expect(range).toMatchObject({ status: 206, reachedProgram: false });
    expect(range.headers['content-range']).toBe('bytes 10-19/70000');
    expect(range.body.equals(files['t1/segment-v720-00001.m4s']?.subarray(10, 20) ?? Buffer.alloc(1))).toBe(true);
    const head = await fetchCounted(path, {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, reachedProgram: false });
    expect(head.headers['content-length']).toBe('70000');
    const again = await fetchCounted(path, { 'If-None-Match': String(head.headers.etag) });
    expect(again).toMatchObject({ status: 304, reachedProgram: false });
  });

  it('leaves to the program what is not a stored segment, unchanged', async () => {
    const token = sign('t1');
    const cases = [
      contentPath(token, 't1', 'e1', 'manifest.mpd'),
      contentPath(token, 't1', 'e1', 'segment-v720-00077.m4s'),
      // A link out of the content folder is never followed by nginx.
      contentPath(token, 't1', 'e1', 'segment-v360-00009.m4s'),
      `/c/${token}/t1/e1/%2e%2e/e1/segment-v720-00001.m4s`,
      `/c/${token}/t1/e1/x/../segment-v720-00001.m4s`,
      `/c/${token}/t1/e1//segment-v720-00001.m4s`,
      `/c/${token}/t%31/e1/segment-v720-00001.m4s`,
      `${contentPath(token, 't1', 'e1', 'segment-v720-00001.m4s')}?CMCD=sid%3D%22x%22`.replace('t1/e1', 't1/.e1'),
    ];
    for (const path of cases) {
      const answer = await fetchCounted(path);
      expect(answer.reachedProgram, path).toBe(true);
      expect(programRequests.at(-1), path).toBe(path);
      expect(answer.headers['x-cache'], path).toBe('program');
    }
    const preflight = await fetchCounted(contentPath(token, 't1', 'e1', 'init-v720.m4s'), {}, 'OPTIONS');
    expect(preflight.reachedProgram).toBe(true);
  });

  it('refuses an unavailable title once the program names it, and serves it again once it is back', async () => {
    const path = contentPath(sign('t2'), 't2', 'e1', 'segment-v720-00001.m4s');
    expect(await fetchCounted(path)).toMatchObject({ status: 200, reachedProgram: false });
    unavailable.add('t2');
    await front.setUnavailableTitles(['t2', 'a title with spaces']);
    await expect.poll(async () => (await fetchCounted(path)).reachedProgram, { timeout: 5000 }).toBe(true);
    const refused = await fetchCounted(path);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString())).toEqual({
      error: 'TitleUnavailable',
      message: 'This title is no longer available.',
    });
    // Other titles are still sent by nginx.
    expect(await fetchCounted(contentPath(sign('t1'), 't1', 'e1', 'init-v720.m4s'))).toMatchObject({
      reachedProgram: false,
    });
    unavailable.delete('t2');
    await front.setUnavailableTitles([]);
    await expect.poll(async () => (await fetchCounted(path)).reachedProgram, { timeout: 5000 }).toBe(false);
  });
});

describe("nginx's hits reach the metrics through its access log", () => {
  it('counts hits and bytes, touches the title, and tells the session and CMCD', async () => {
    const hits = async () =>
      (await metrics.registry.getSingleMetric('edge_content_requests_total')?.get())?.values.find(
        (value) => value.labels.result === 'hit',
      )?.value ?? 0;
    const bytes = async () =>
      (await metrics.registry.getSingleMetric('edge_bytes_served_total')?.get())?.values[0]?.value ?? 0;
    await front.readServed();
    await new Promise((done) => setTimeout(done, 1200));
    await front.readServed();
    const [hitsBefore, bytesBefore] = [await hits(), await bytes()];
    served.length = 0;
    const token = sign('t1', { sessionId: 'session-cmcd' });
    const cmcd = 'bl=21300,br=3200,cid="t1",ot=v,sid="player-session"';
    await get(`${contentPath(token, 't1', 'e1', 'segment-v720-00001.m4s')}?CMCD=${encodeURIComponent(cmcd)}`);
    await get(contentPath(token, 't1', 'e1', 'segment-a0-00001.m4s'), {
      'CMCD-Object': 'br=128,ot=a',
      'CMCD-Request': 'bl=9000',
      'CMCD-Session': 'cid="t1",sid="player-session"',
    });
    await get(contentPath(token, 't1', 'e1', 'segment-v720-00001.m4s'), { Range: 'bytes=0-99' });
    // A refusal is the program's to count, not the log's.
    await get(contentPath(token, 't1', 'e1', 'segment-v1080-00001.m4s'));
    // nginx writes its buffer at least every second.
    await expect
      .poll(
        async () => {
          await front.readServed();
          return served.length;
        },
        { timeout: 5000 },
      )
      .toBe(3);
    expect(await hits()).toBe(hitsBefore + 3);
    expect(await bytes()).toBe(bytesBefore + 70_000 + 8_000 + 100);
    expect(served[0]).toMatchObject({
      status: 200,
      bytes: 70_000,
      titleId: 't1',
      encodingId: 'e1',
      file: 'segment-v720-00001.m4s',
      sessionId: 'session-cmcd',
      cmcd,
    });
    expect(served[1]?.cmcd?.split(',').sort()).toEqual(
      ['bl=9000', 'br=128', 'ot=a', 'cid="t1"', 'sid="player-session"'].sort(),
    );
    expect(served[2]).toMatchObject({ status: 206, bytes: 100 });
    expect(Math.abs((served[0]?.at.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(touched).toContain('t1/e1');
  });

  it('logs what goes wrong mid-answer (a file shrinking under sendfile) without the token', async () => {
    // nginx logs this at alert, with the request line: sendfile finding a file shorter than it
    // was when the answer began (a package rewritten in place under a reader).
    const logged: string[] = [];
    const logError = vi.spyOn(nginxLogger, 'error').mockImplementation(((fields: { nginx?: string }) => {
      if (fields.nginx) logged.push(fields.nginx);
    }) as never);
    try {
      const file = join(contentDir, 't2', 'e1', 'segment-v720-00002.m4s');
      await writeFile(file, Buffer.alloc(32 * 1024 * 1024, 1));
      const token = sign('t2');
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`GET ${contentPath(token, 't2', 'e1', 'segment-v720-00002.m4s')} HTTP/1.1\r\nHost: edge\r\n\r\n`);
      // Read a little, so nginx is mid-answer, then cut the file short and read on.
      await once(socket, 'data');
      socket.pause();
      await new Promise((done) => setTimeout(done, 200));
      await truncate(file, 1000);
      socket.resume();
      socket.on('data', () => {});
      await once(socket, 'close');
      await expect.poll(() => logged.some((line) => line.includes('truncated')), { timeout: 5000 }).toBe(true);
      expect(logged.find((line) => line.includes('truncated'))).toContain('/c/…/t2/e1/segment-v720-00002.m4s');
      expect(logged.join('\n')).not.toContain(token);
      // Nor does nginx keep a log file of its own with the request line in it.
      const workFiles = await readdir(join(dir, 'nginx'));
      for (const name of workFiles.filter((name) => name.endsWith('.log')))
        expect(await readFile(join(dir, 'nginx', name), 'utf8')).not.toContain(token);
    } finally {
      logError.mockRestore();
    }
  });

  it('keeps tokens out of its logs', async () => {
    await front.readServed();
    const token = sign('t1');
    // Requests nginx would log at error level: a bad Range, a request line too large.
    await get(contentPath(token, 't1', 'e1', 'segment-v720-00001.m4s'), { Range: 'bytes=999999-' });
    await new Promise((done) => setTimeout(done, 1200));
    const logs = await Promise.all(
      ['served.log', 'nginx-error.log'].map((file) => readFile(join(dir, 'nginx', file), 'utf8').catch(() => '')),
    );
    for (const log of logs) expect(log).not.toMatch(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\//);
    expect(logs[0]).toContain('/t1/e1/segment-v720-00001.m4s');
  });
});
