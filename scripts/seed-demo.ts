// Demo titles for a fresh platform: clips made by ffmpeg from its test sources, sent through the
// same API a content team uses (create, upload, wait for the encoder, publish), then waited for
// on both edges. Every request carries an Idempotency-Key, so a run cut short and started again
// picks up where it was and makes nothing twice.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeClip } from '@marquee/platform/testing';

type DemoTitle = {
  key: string;
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  seconds: number;
  size: string;
  /** ffmpeg's lavfi video source. */
  pattern: string;
  toneHz: number;
};

export const demoTitles: DemoTitle[] = [
  {
    key: 'test-pattern',
    name: 'Test Pattern',
    synopsis: 'A moving test pattern in full HD: the ladder from 240p to 1080p.',
    genres: ['documentary'],
    year: 2026,
    seconds: 30,
    size: '1920x1080',
    pattern: 'testsrc2',
    toneHz: 440,
  },
  {
    key: 'colour-bars',
    name: 'Colour Bars',
    synopsis: 'Seventy-five seconds of SMPTE bars and a tone, long enough to sit through.',
    genres: ['documentary', 'drama'],
    year: 2025,
    seconds: 75,
    size: '1280x720',
    pattern: 'smptehdbars',
    toneHz: 660,
  },
  {
    key: 'mandelbrot',
    name: 'Mandelbrot Zoom',
    synopsis: 'A slow dive into the Mandelbrot set.',
    genres: ['scifi'],
    year: 2024,
    seconds: 20,
    size: '854x480',
    pattern: 'mandelbrot',
    toneHz: 330,
  },
];

type Urls = { commandApi: string; queryApi: string; edges: string[] };

const call = async (url: string, init: RequestInit & { idempotencyKey?: string; contentKey: string }) => {
  const headers: Record<string, string> = { 'x-api-key': init.contentKey, ...(init.headers as Record<string, string>) };
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};

const until = async <T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

const makeDemoClip = async (title: DemoTitle, dir: string) => {
  const path = join(dir, `${title.key}.mp4`);
  if (existsSync(path)) return path;
  // Made beside and moved into place, so a run cut short never leaves half a clip under the name.
  const temporary = join(dir, `${title.key}.partial.mp4`);
  const { seconds, size, pattern, toneHz } = title;
  await makeClip(temporary, { seconds, size, pattern, toneHz, sampleRate: 48000 });
  await rename(temporary, path);
  return path;
};

export const seedDemoTitles = async (options: {
  dataDir: string;
  contentKey: string;
  urls: Urls;
  log: (line: string) => void;
}) => {
  const { contentKey, urls, log } = options;
  const dir = join(options.dataDir, 'demo');
  const marker = join(dir, 'seeded.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as { titleId: string; name: string }[];
  await mkdir(dir, { recursive: true });
  // The keys are this platform's own: ids derived from them must not meet another data folder's
  // in a shared Redis (the encode queue's job ids are event ids).
  const installIdFile = join(dir, 'install-id');
  if (!existsSync(installIdFile)) await writeFile(installIdFile, randomUUID());
  const installId = (await readFile(installIdFile, 'utf8')).trim();
  const keyOf = (title: DemoTitle, step: string) => `demo-${installId}-${title.key}-${step}`;
  const seeded: { titleId: string; name: string }[] = [];
  for (const title of demoTitles) {
    const clip = await makeDemoClip(title, dir);
    const { name, synopsis, genres, year } = title;
    const created = await call(`${urls.commandApi}/titles`, {
      method: 'POST',
      contentKey,
      idempotencyKey: keyOf(title, 'create'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, synopsis, genres, year, maturityRating: 'all' }),
    });
    const titleId = created.titleId as string;
    await call(`${urls.commandApi}/titles/${titleId}/source`, {
      method: 'PUT',
      contentKey,
      idempotencyKey: keyOf(title, 'source'),
      headers: { 'content-type': 'video/mp4' },
      body: await readFile(clip),
    });
    log(`demo "${name}": uploaded, encoding…`);
    const encoded = await until(
      `"${name}" to be encoded`,
      async () => {
        const { status } = await call(`${urls.queryApi}/titles/${titleId}`, { contentKey });
        return ['encoded', 'published', 'encoding-failed'].includes(status as string) ? status : undefined;
      },
      10 * 60_000,
    );
    if (encoded === 'encoding-failed') throw new Error(`encoding "${name}" failed; see the encoder's log`);
    await call(`${urls.commandApi}/titles/${titleId}/publish`, {
      method: 'POST',
      contentKey,
      idempotencyKey: keyOf(title, 'publish'),
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    seeded.push({ titleId, name });
    log(`demo "${name}": published`);
  }
  for (const edge of urls.edges)
    await until(
      `${edge} to hold the demo titles`,
      async () => {
        const status = (await (await fetch(`${edge}/status`)).json()) as { held: { titleId: string }[] };
        const held = new Set(status.held.map((entry) => entry.titleId));
        return seeded.every((title) => held.has(title.titleId)) ? true : undefined;
      },
      5 * 60_000,
    );
  await writeFile(marker, `${JSON.stringify(seeded, null, 2)}\n`);
  return seeded;
};
