import { mkdtempSync } from 'node:fs';
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServedLine, type ServedByNginx, tailAccessLog } from '../src/nginx/nginx-access-log';

const line = (fields: string[]) => fields.join('\t');

describe("reading nginx's access log of hits", () => {
  it('reads a hit with its session and the CMCD of the query', () => {
    const cmcd = 'bl=21300,br=3200,cid="t1",ot=v,sid="s-1"';
    const entry = parseServedLine(
      line([
        '1796019814.123',
        '200',
        '70000',
        '/t1/e1/video/segment-v720-00001.m4s',
        's-1',
        'eu-west',
        encodeURIComponent(cmcd),
        '-',
        '-',
        '-',
        '-',
      ]),
    );
    expect(entry).toEqual({
      at: new Date(1796019814123),
      status: 200,
      bytes: 70000,
      titleId: 't1',
      encodingId: 'e1',
      file: 'video/segment-v720-00001.m4s',
      sessionId: 's-1',
      region: 'eu-west',
      cmcd,
    });
  });

  it('joins the CMCD headers when the query has none, undoing nginx escapes', () => {
    const entry = parseServedLine(
      line([
        '1.5',
        '206',
        '100',
        '/t1/e1/a.m4s',
        '-',
        '-',
        '-',
        'bl=9000',
        'br=128,ot=a',
        '-',
        'cid=\\x22t1\\x22,sid=\\x22\\xC3\\xA9\\x22',
      ]),
    );
    expect(entry).toMatchObject({
      status: 206,
      bytes: 100,
      sessionId: null,
      region: null,
      cmcd: 'bl=9000,br=128,ot=a,cid="t1",sid="é"',
    });
    expect(parseServedLine(line(['1.5', '304', '0', '/t1/e1/a.m4s', '-', '-', '-', '-', '-', '-', '-']))).toMatchObject(
      {
        status: 304,
        bytes: 0,
        cmcd: null,
      },
    );
  });

  it('skips lines that are not whole hits', () => {
    for (const torn of [
      '',
      '1.5\t200',
      line(['x', '200', '1', '/t/e/f', '-', '-', '-', '-', '-', '-', '-']),
      line(['1.5', '200', '1', '/nothing', '-', '-', '-', '-', '-', '-', '-']),
    ])
      expect(parseServedLine(torn)).toBeUndefined();
  });
});

describe('following the access log', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const hit = (n: number) =>
    `${line([`${n}.000`, '200', String(n), `/t/e/segment-a0-${n}.m4s`, '-', '-', '-', '-', '-', '-', '-'])}\n`;

  it('reads each line once, a line torn across two writes included', async () => {
    dir = mkdtempSync(join(tmpdir(), 'marquee-access-log-'));
    const file = join(dir, 'served.log');
    await writeFile(file, '');
    const seen: ServedByNginx[] = [];
    const tail = await tailAccessLog({
      file,
      onServed: (entry) => seen.push(entry),
      reopen: () => {},
      intervalMs: 60_000,
    });
    await appendFile(file, hit(1) + hit(2).slice(0, 10));
    await tail.poll();
    expect(seen.map((entry) => entry.bytes)).toEqual([1]);
    await appendFile(file, hit(2).slice(10) + hit(3));
    await tail.poll();
    await tail.stop();
    expect(seen.map((entry) => entry.bytes)).toEqual([1, 2, 3]);
  });

  it('rotates a large log: asks nginx to reopen, reads what nginx still wrote to the old file, deletes it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'marquee-access-log-'));
    const logDir = dir;
    const file = join(dir, 'served.log');
    await writeFile(file, '');
    const seen: number[] = [];
    let reopened = 0;
    // What nginx does: keeps writing to the file it has open until told to reopen, then makes a new one.
    let writingTo = file;
    const tail = await tailAccessLog({
      file,
      onServed: (entry) => seen.push(entry.bytes),
      reopen: () => {
        reopened++;
        writingTo = `${file}.old`;
        void appendFile(writingTo, hit(4)).then(() => writeFile(file, hit(5)));
      },
      intervalMs: 60_000,
      maxBytes: 100,
      drainMs: 50,
    });
    await appendFile(writingTo, hit(1) + hit(2) + hit(3));
    await tail.poll();
    await new Promise((done) => setTimeout(done, 200));
    await appendFile(file, hit(6));
    await tail.poll();
    await tail.stop();
    expect(reopened).toBe(1);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await readdir(logDir)).toEqual(['served.log']);
  });
});
