import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serverTimeouts } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandApi, content, createdTitle, startCommandApi } from '../command-platform';
import { makeTestMedia, type TestMedia } from './test-media';

describe('the command API server timeouts', () => {
  it('give a source at the 4 GiB cap at 1 MB/s its 72 minutes, and headers 30 s', () => {
    const timeouts = serverTimeouts({
      maxUploadBytes: 4 * 1024 ** 3,
      minUploadBytesPerSecond: 1_000_000,
      idleSeconds: 120,
      headersSeconds: 30,
    });

    expect(timeouts.requestTimeout).toBeGreaterThan(4295 * 1000);
    expect(timeouts.requestTimeout).toBeLessThan(4400 * 1000);
    expect(timeouts.headersTimeout).toBe(30_000);
  });
});

let media: TestMedia;
let api: CommandApi;
let clip: Buffer;
// Shortened limits: 1 s to send headers, 1 s of silence; the cap (the clip) at its rate takes 3 s.
const idleSeconds = 1;
const headersSeconds = 1;
const uploadSeconds = 3;

beforeAll(async () => {
  media = await makeTestMedia();
  clip = readFileSync(media.clip);
  api = await startCommandApi({
    maxUploadBytes: clip.length,
    serverTimeouts: {
      maxUploadBytes: clip.length,
      minUploadBytesPerSecond: clip.length / uploadSeconds,
      idleSeconds,
      headersSeconds,
    },
  });
});
afterAll(() => api.close());

const newTitle = () => createdTitle(api);

/** A PUT of the clip sent in `chunks` pieces, `everyMs` apart: its status, or when the server cut it. */
const slowPut = (titleId: string, chunks: number, everyMs: number, stopAfter = chunks) =>
  new Promise<{ status?: number; afterMs?: number; cutAfterMs?: number }>((resolve) => {
    const started = Date.now();
    const { port } = new URL(api.url);
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/titles/${titleId}/source`,
      headers: { 'x-api-key': content.key, 'content-type': 'video/mp4', 'content-length': clip.length },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode, afterMs: Date.now() - started });
    });
    req.on('error', () => resolve({ cutAfterMs: Date.now() - started }));
    void (async () => {
      const size = Math.ceil(clip.length / chunks);
      for (let i = 0; i < stopAfter; i++) {
        if (req.destroyed) return;
        req.write(clip.subarray(i * size, (i + 1) * size));
        await sleep(everyMs);
      }
      if (stopAfter === chunks) req.end();
    })();
  });

describe('uploads against shortened timeouts', () => {
  it('serves a slow but steady upload that lasts longer than the idle and headers limits', async () => {
    const titleId = await newTitle();
    const started = Date.now();

    const answer = await slowPut(titleId, 10, 250);

    expect(answer.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('cuts a client that stops sending its body after the idle limit', async () => {
    const titleId = await newTitle();

    const answer = await slowPut(titleId, 10, 100, 3);

    expect(answer.cutAfterMs).toBeGreaterThanOrEqual(idleSeconds * 1000);
    expect(answer.cutAfterMs).toBeLessThan(idleSeconds * 1000 + 1500);
  });

  it('cuts a client that sends its body slower than the rate the cap is served at', async () => {
    const titleId = await newTitle();

    // 10 pieces 0.6 s apart: never silent for the idle limit, but 6 s for a 3 s budget.
    const answer = await slowPut(titleId, 10, 600);

    expect(answer.status).toBe(408);
    expect(answer.afterMs).toBeGreaterThanOrEqual((headersSeconds + uploadSeconds) * 1000);
    expect(answer.afterMs).toBeLessThan((headersSeconds + uploadSeconds) * 1000 + 1500);
  });

  it('cuts a client that dribbles its headers (slow loris) after the headers limit', async () => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => {});
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    // A header line every 0.3 s: never silent for the idle limit, never done.
    const dribble = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 300);

    const cutAfterMs = await closed;
    clearInterval(dribble);

    expect(cutAfterMs).toBeGreaterThanOrEqual(headersSeconds * 1000);
    expect(cutAfterMs).toBeLessThan(headersSeconds * 1000 + 1500);
  });
});
