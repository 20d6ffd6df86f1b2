// Demo titles for a fresh platform: clips made by ffmpeg from its test sources, sent through the
// same API a content team uses (create, upload, wait for the encoder, publish), then waited for
// on both edges. Every request carries an Idempotency-Key, so a run cut short and started again
// picks up where it was and makes nothing twice.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCaptionsText, makeClip, makeEpisodeClip } from '@marquee/platform/testing';

type DemoTitle = {
  key: string;
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  maturityRating: 'all' | '7+' | '13+' | '16+' | '18+';
  seconds: number;
  size: string;
  /** ffmpeg's lavfi video source. */
  pattern: string;
  toneHz: number;
  /** Audio streams of the source, each its own tone and language tag, instead of the one tone. */
  audioTracks?: { toneHz: number; language: string }[];
  /** Captions uploaded before the source, so its first package carries them: language → cue label. */
  captions?: Record<string, string>;
};

export const demoTitles: DemoTitle[] = [
  {
    key: 'test-pattern',
    name: 'Test Pattern',
    synopsis: 'A moving test pattern in full HD: the ladder from 240p to 1080p.',
    genres: ['documentary'],
    year: 2026,
    maturityRating: 'all',
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
    maturityRating: 'all',
    seconds: 75,
    size: '1280x720',
    pattern: 'smptehdbars',
    toneHz: 660,
  },
  {
    key: 'mandelbrot',
    name: 'Mandelbrot Zoom',
    synopsis: 'A slow dive into the Mandelbrot set. Infinitely deep: for grown-ups only.',
    genres: ['scifi'],
    year: 2024,
    maturityRating: '18+',
    seconds: 20,
    size: '854x480',
    pattern: 'mandelbrot',
    toneHz: 330,
  },
  {
    key: 'two-voices',
    name: 'Two Voices',
    synopsis: 'A test card that speaks English and French, with subtitles in both: pick yours.',
    genres: ['documentary'],
    year: 2026,
    maturityRating: 'all',
    seconds: 36,
    size: '854x480',
    pattern: 'testsrc',
    toneHz: 440,
    audioTracks: [
      { toneHz: 440, language: 'eng' },
      { toneHz: 554, language: 'fre' },
    ],
    captions: { en: 'English line', fr: 'Ligne française' },
  },
];

/**
 * A short series: three episodes, each its own cold open, then the season's shared intro, then
 * its own rest and credits. Intro detection proposes the intro; the seed accepts it as a content
 * team would, and marks the credits.
 */
export const demoSeries = {
  key: 'pattern-tales',
  name: 'Pattern Tales',
  synopsis: 'Three short tales of test patterns, with a theme tune you will learn to skip.',
  genres: ['animation'],
  year: 2026,
  maturityRating: '7+' as const,
  size: '640x360',
  introSeconds: 10,
  creditsSeconds: 6,
  episodes: [
    { name: 'The Grid', coldOpenSeconds: 3, restSeconds: 17 },
    { name: 'Bars at Dawn', coldOpenSeconds: 6, restSeconds: 15 },
    { name: 'The Last Tone', coldOpenSeconds: 4, restSeconds: 16 },
  ],
};

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
  const { seconds, size, pattern, toneHz, audioTracks } = title;
  await makeClip(temporary, { seconds, size, pattern, toneHz, sampleRate: 48000, ...(audioTracks && { audioTracks }) });
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
  const keyOf = (title: DemoTitle, step: string) => `${title.key}-${step}`;
  const seeded: { titleId: string; name: string }[] = [];
  const json = { 'content-type': 'application/json' };
  const post = (path: string, key: string, body: unknown, method = 'POST') =>
    call(`${urls.commandApi}${path}`, {
      method,
      contentKey,
      idempotencyKey: `demo-${installId}-${key}`,
      headers: json,
      body: JSON.stringify(body),
    });
  /** Upload, wait for the encoder, publish: the content team's flow for one title (a film or an episode). */
  const encodeAndPublish = async (titleId: string, name: string, clip: string, key: string) => {
    await call(`${urls.commandApi}/titles/${titleId}/source`, {
      method: 'PUT',
      contentKey,
      idempotencyKey: `demo-${installId}-${key}-source`,
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
    await post(`/titles/${titleId}/publish`, `${key}-publish`, {});
    log(`demo "${name}": published`);
  };
  for (const title of demoTitles) {
    const clip = await makeDemoClip(title, dir);
    const { name, synopsis, genres, year, maturityRating } = title;
    const created = await post('/titles', keyOf(title, 'create'), { name, synopsis, genres, year, maturityRating });
    const titleId = created.titleId as string;
    for (const [language, label] of Object.entries(title.captions ?? {}))
      await call(`${urls.commandApi}/titles/${titleId}/captions/${language}`, {
        method: 'PUT',
        contentKey,
        idempotencyKey: `demo-${installId}-${title.key}-captions-${language}`,
        headers: { 'content-type': 'text/vtt' },
        body: makeCaptionsText({ seconds: title.seconds, label }),
      });
    await encodeAndPublish(titleId, name, clip, title.key);
    seeded.push({ titleId, name });
  }
  const episodes = await seedDemoSeries({
    dir,
    post,
    encodeAndPublish,
    queryContent: (path) => call(`${urls.queryApi}${path}`, { contentKey }),
    log,
  });
  const onEdges = [...seeded, ...episodes];
  seeded.push({ titleId: episodes[0]?.seriesId ?? '', name: demoSeries.name });
  for (const edge of urls.edges)
    await until(
      `${edge} to hold the demo titles`,
      async () => {
        const status = (await (await fetch(`${edge}/status`)).json()) as { held: { titleId: string }[] };
        const held = new Set(status.held.map((entry) => entry.titleId));
        return onEdges.every((title) => held.has(title.titleId)) ? true : undefined;
      },
      5 * 60_000,
    );
  await writeFile(marker, `${JSON.stringify(seeded, null, 2)}\n`);
  return seeded;
};

/**
 * The demo series: created, its episodes added, encoded and published, then the series published.
 * Once the encoder has proposed the season's intro it is accepted, and each episode's credits
 * are marked; an episode with no proposal after two minutes keeps the intro the clip was made with.
 */
const seedDemoSeries = async (tools: {
  dir: string;
  post: (path: string, key: string, body: unknown, method?: string) => Promise<Record<string, unknown>>;
  encodeAndPublish: (titleId: string, name: string, clip: string, key: string) => Promise<void>;
  queryContent: (path: string) => Promise<Record<string, unknown>>;
  log: (line: string) => void;
}) => {
  const { dir, post, encodeAndPublish, queryContent, log } = tools;
  const { key, name, synopsis, genres, year, maturityRating, introSeconds, creditsSeconds } = demoSeries;
  const { seriesId } = (await post('/series', `${key}-create`, { name, synopsis, genres, year, maturityRating })) as {
    seriesId: string;
  };
  const episodes: {
    titleId: string;
    name: string;
    seriesId: string;
    intro: { startSeconds: number; endSeconds: number };
    seconds: number;
  }[] = [];
  for (const [index, episode] of demoSeries.episodes.entries()) {
    const number = index + 1;
    const { titleId } = (await post(`/series/${seriesId}/episodes`, `${key}-e${number}`, {
      season: 1,
      episode: number,
      name: episode.name,
      synopsis: `Episode ${number} of ${name}.`,
    })) as { titleId: string };
    const clip = join(dir, `${key}-e${number}.mp4`);
    if (!existsSync(clip)) {
      const temporary = join(dir, `${key}-e${number}.partial.mp4`);
      await makeEpisodeClip(temporary, {
        coldOpenSeconds: episode.coldOpenSeconds,
        introSeconds,
        contentSeconds: episode.restSeconds,
        variant: number,
        size: demoSeries.size,
      });
      await rename(temporary, clip);
    }
    await encodeAndPublish(titleId, `${name} ${number}: ${episode.name}`, clip, `${key}-e${number}`);
    const intro = { startSeconds: episode.coldOpenSeconds, endSeconds: episode.coldOpenSeconds + introSeconds };
    episodes.push({ titleId, name: episode.name, seriesId, intro, seconds: intro.endSeconds + episode.restSeconds });
  }
  await post(`/series/${seriesId}/publish`, `${key}-publish`, {});
  for (const episode of episodes) {
    const proposal = await until(
      `the intro proposal for "${episode.name}"`,
      async () => ((await queryContent(`/titles/${episode.titleId}`)).introProposal as object | null) ?? undefined,
      2 * 60_000,
    ).catch(() => null);
    // The accepted intro is the one accept answers with: the views may not have it yet.
    const accepted = proposal
      ? await post(`/titles/${episode.titleId}/intro/accept`, `${key}-${episode.titleId}-accept`, {})
      : null;
    if (!accepted) log(`demo "${episode.name}": no intro proposed; marking the intro the clip was made with`);
    const credits = { startSeconds: episode.seconds - creditsSeconds, endSeconds: episode.seconds };
    const intro = accepted ? (accepted.intro as typeof episode.intro) : episode.intro;
    await post(`/titles/${episode.titleId}/markers`, `${key}-${episode.titleId}-markers`, { intro, credits }, 'PUT');
  }
  log(`demo "${name}": ${episodes.length} episodes published, intro and credits marked`);
  return episodes;
};
