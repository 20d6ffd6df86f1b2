/*
 * Clients the project did not write, given only what POST /playback answers: ffmpeg reads and
 * decodes the DASH manifest and the HLS master from an edge; the server holds a basic-plan
 * session to its 720p cap (manifest, master and segments); bad tokens in the path are refused
 * with their reason, path tricks are 404 before any token is looked at, and an unpublished
 * title is refused everywhere.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { contentTokenRefusals, loadContentTokenSecret, signContentToken, verifyContentToken } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiViewer,
  framesByHeight,
  heartbeatThroughApi,
  type PlaybackAnswer,
  planMaxHeight,
  readWithFfmpeg,
  signUpThroughApi,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
} from '../src/index';
import { eventually, platformUnderTest, titleLadders } from './platform-under-test';

const platform = platformUnderTest();
const secret = loadContentTokenSecret({ DATA_DIR: platform.dataDir });
/** The demo clips' frame rate (makeClip's default). */
const framesPerSecond = 25;

type Title = { titleId: string; name: string; durationSeconds: number; ladder: number[] };

let basic: ApiViewer;
let standard: ApiViewer;
/** The tallest demo title (a 1080p source), so the basic plan's cap has rungs to cut. */
let tall: Title;
/** Another title, for "another title's token", and the one unpublished at the end. */
let other: Title;
let basicSession: PlaybackAnswer;
const sessions: { viewer: ApiViewer; sessionId: string }[] = [];

const play = async (viewer: ApiViewer, title: Title) => {
  const answer = await startPlaybackThroughApi(viewer, title.titleId);
  sessions.push({ viewer, sessionId: answer.sessionId });
  return answer;
};

/** The same place's URL for another file of the package (relative, as a player resolves it). */
const sibling = (url: string, file: string) => new URL(file, url).toString();

/** A URL with another token in the `/c/<token>/` segment. */
const withToken = (url: string, token: string) => url.replace(/\/c\/[^/]+\//, `/c/${token}/`);

const refusal = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
};

/** The video rungs' heights (a seek-preview sprite has a height too, but is no rung). */
const representationHeights = (mpd: string) =>
  [...mpd.matchAll(/<Representation\b(?=[^>]*\bmimeType="video\/)[^>]*\bheight="(\d+)"/g)].map((match) =>
    Number(match[1]),
  );

const variantHeights = (master: string) =>
  [...master.matchAll(/#EXT-X-STREAM-INF:[^\n]*RESOLUTION=\d+x(\d+)/g)].map((match) => Number(match[1]));

/** GET with the path sent exactly as written: fetch would resolve `..` before sending it. */
const rawGet = (baseUrl: string, rawPath: string) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const sent = request({ host: hostname, port, path: rawPath, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.once('error', reject);
    sent.end();
  });

beforeAll(async () => {
  [basic, standard] = [
    await signUpThroughApi(platform.commandApiUrl, 'basic'),
    await signUpThroughApi(platform.commandApiUrl, 'standard'),
  ];
  const response = await fetch(`${platform.queryApiUrl}/catalog?limit=100`, {
    headers: { authorization: `Bearer ${basic.bearer}` },
  });
  const { items } = (await response.json()) as {
    items: { titleId: string; kind: string; name: string; durationSeconds: number | null }[];
  };
  const ladders = await titleLadders(platform);
  // Films: a series is a page of episodes, not something to play.
  const titles = items
    .filter((item) => item.kind === 'film' && platform.demoTitles.includes(item.name))
    .map((item) => ({ ...item, durationSeconds: item.durationSeconds ?? 0, ladder: ladders.get(item.titleId) ?? [] }))
    .toSorted((a, b) => Math.max(0, ...b.ladder) - Math.max(0, ...a.ladder));
  tall = titles[0] as Title;
  // The shortest of the rest: nobody after this file plays it, so it can be unpublished at the end.
  other = titles.slice(1).toSorted((a, b) => a.durationSeconds - b.durationSeconds)[0] as Title;
  expect(Math.max(...tall.ladder), `the tallest demo title's ladder: ${tall.ladder}`).toBeGreaterThanOrEqual(1080);
  expect(other).toBeDefined();
  basicSession = await play(basic, tall);
});

afterAll(async () => {
  for (const { viewer, sessionId } of sessions) await stopPlaybackThroughApi(viewer, sessionId).catch(() => {});
});

describe('POST /playback, as any client gets it', () => {
  it('answers DASH and HLS URLs per place, edges first and the origin last, with a token in the path', () => {
    const { manifests, token, titleId, encodingId } = basicSession;
    console.log(`basic-plan session on "${tall.name}" (ladder ${tall.ladder.join('/')}):`, manifests);
    expect(manifests.length).toBeGreaterThanOrEqual(2);
    expect(manifests[0]?.edgeId).toBeTruthy();
    expect(manifests.at(-1)?.edgeId).toBeNull();
    for (const place of manifests) {
      expect(place.dash).toMatch(
        new RegExp(`/c/${token.replace(/[.]/g, '\\.')}/${titleId}/${encodingId}/manifest\\.mpd$`),
      );
      expect(place.hls).toBe(sibling(place.dash, 'master.m3u8'));
    }
    const check = verifyContentToken(secret, token, { titleId, encodingId });
    expect(check.ok && check.claims).toMatchObject({
      sessionId: basicSession.sessionId,
      maxHeight: planMaxHeight.basic,
      pathways: manifests.flatMap((place) => (place.edgeId ? [place.edgeId] : [])),
    });
  });
});

describe('the plan, enforced by the server', () => {
  const allowed = () => tall.ladder.filter((height) => height <= planMaxHeight.basic);

  it("a basic-plan session's manifest lists nothing above 720p, and steers between every place", async () => {
    for (const place of basicSession.manifests) {
      const response = await fetch(place.dash);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/private/);
      expect(response.headers.get('cache-control')).toMatch(/no-store/);
      const mpd = await response.text();
      expect(representationHeights(mpd).toSorted((a, b) => a - b)).toEqual(allowed());
      /*
       * One BaseURL per pathway: the place answering first (it is alive, and a client that reads
       * only the first BaseURL, like ffmpeg, stays on it), then the session's other edges in their
       * order, then the origin.
       */
      const self = place.edgeId ?? 'origin';
      const edges = basicSession.manifests.flatMap((p) => (p.edgeId && p.edgeId !== self ? [p.edgeId] : []));
      const locations = [...mpd.matchAll(/<BaseURL\b[^>]*serviceLocation="([^"]+)"/g)].map((match) => match[1]);
      expect(locations).toEqual([...new Set([self, ...edges, 'origin'])]);
      expect(mpd).toContain(`defaultServiceLocation="${self}"`);
      expect(mpd).toMatch(/<ContentSteering\b[^>]*defaultServiceLocation="[^"]+"[^>]*>[^<]*\/steering\//);
    }
  });

  it('its HLS master lists nothing above 720p, once per pathway, with the steering server', async () => {
    const place = basicSession.manifests[0];
    const response = await fetch(place?.hls as string);
    expect(response.status).toBe(200);
    const master = await response.text();
    const heights = variantHeights(master);
    expect([...new Set(heights)].toSorted((a, b) => a - b)).toEqual(allowed());
    expect(master).toMatch(/#EXT-X-CONTENT-STEERING:SERVER-URI="[^"]*\/steering\/[^"]*",PATHWAY-ID="[^"]+"/);
    const pathways = new Set([...master.matchAll(/#EXT-X-STREAM-INF:[^\n]*PATHWAY-ID="([^"]+)"/g)].map((m) => m[1]));
    expect(pathways).toContain('origin');
    expect(heights.length).toBe(allowed().length * pathways.size);
  });

  it('a 1080p segment (and its init and playlist) is 403 naming the rung, on an edge and at the origin', async () => {
    for (const place of [basicSession.manifests[0], basicSession.manifests.at(-1)]) {
      for (const file of ['segment-v1080-00001.m4s', 'init-v1080.m4s', 'media-v1080.m3u8']) {
        const { status, body } = await refusal(sibling(place?.dash as string, file));
        expect({ file, place: place?.edgeId ?? 'origin', status }).toEqual({
          file,
          place: place?.edgeId ?? 'origin',
          status: 403,
        });
        expect(body).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/1080p.*720p/) });
      }
    }
  });

  it('while the same segment is 200 for a standard-plan session (it is there: the cap is what refused it)', async () => {
    const session = await play(standard, tall);
    const response = await fetch(sibling(session.manifests[0]?.dash as string, 'segment-v1080-00001.m4s'));
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    await stopPlaybackThroughApi(standard, session.sessionId);
  });
});

describe('ffmpeg, given only the URL', () => {
  const allowed = () => tall.ladder.filter((height) => height <= planMaxHeight.basic);
  /** Every rung the token allows, decoded from start to end; nothing else, nothing lost on the way. */
  const expectEveryAllowedRung = (read: Awaited<ReturnType<typeof readWithFfmpeg>>) => {
    expect(read.exitCode, read.tail).toBe(0);
    expect(read.problems, read.tail).toEqual([]);
    const frames = framesByHeight(read);
    expect([...frames.keys()].toSorted((a, b) => a - b)).toEqual(allowed());
    // An HLS master lists each rung once per pathway: every copy is decoded whole.
    const full = (tall.durationSeconds - 1) * framesPerSecond;
    for (const stream of read.video) expect(stream.framesDecoded, `${stream.height}p`).toBeGreaterThanOrEqual(full);
    expect(read.audioFramesDecoded).toBeGreaterThan(0);
  };

  it('reads the DASH manifest from an edge and decodes every rung the token allows (exit 0)', async () => {
    const url = basicSession.manifests[0]?.dash as string;
    const started = Date.now();
    const read = await readWithFfmpeg(url, { timeoutMs: 150_000 });
    console.log(
      `ffmpeg read the DASH manifest in ${Date.now() - started} ms: ` +
        read.video.map((s) => `${s.width}x${s.height}: ${s.framesDecoded} frames`).join(', '),
    );
    expectEveryAllowedRung(read);
  }, 180_000);

  it('reads the HLS master from an edge and decodes every rung the token allows (exit 0)', async () => {
    const url = basicSession.manifests[0]?.hls as string;
    const started = Date.now();
    const read = await readWithFfmpeg(url, { timeoutMs: 150_000 });
    console.log(
      `ffmpeg read the HLS master in ${Date.now() - started} ms: ` +
        read.video.map((s) => `${s.width}x${s.height}: ${s.framesDecoded} frames`).join(', '),
    );
    expectEveryAllowedRung(read);
  }, 180_000);
});

describe('tokens in the path', () => {
  const scope = () => ({ titleId: basicSession.titleId, encodingId: basicSession.encodingId });
  const grant = () => ({
    sessionId: basicSession.sessionId,
    maxHeight: planMaxHeight.basic,
    region: null,
    pathways: basicSession.manifests.flatMap((p) => (p.edgeId ? [p.edgeId] : [])),
  });
  const places = () => [basicSession.manifests[0]?.dash as string, basicSession.manifests.at(-1)?.dash as string];

  const badTokens = async (): Promise<[string, string, keyof typeof contentTokenRefusals][]> => {
    const expired = signContentToken(secret, scope(), grant(), {
      ttlSeconds: 60,
      now: new Date(Date.now() - 60 * 60_000),
    }).token;
    // The claims changed (no height cap) under the old signature.
    const [claims, mac] = basicSession.token.split('.') as [string, string];
    const raised = { ...JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')), h: 2160 };
    const tampered = `${Buffer.from(JSON.stringify(raised)).toString('base64url')}.${mac}`;
    // Signed as the servers check it, but its claims are not JSON.
    const notJson = Buffer.from('not json').toString('base64url');
    const signedNonsense = `${notJson}.${createHmac('sha256', secret)
      .update(`${basicSession.titleId}/${basicSession.encodingId}\n${notJson}`)
      .digest('base64url')}`;
    // A good token, for another title.
    const otherTitles = await play(standard, other);
    await stopPlaybackThroughApi(standard, otherTitles.sessionId);
    return [
      ['malformed', 'not-a-token', 'malformed'],
      ['signed, but its claims are not JSON', signedNonsense, 'malformed'],
      ['expired', expired, 'expired'],
      ['tampered', tampered, 'invalid'],
      ["another title's", otherTitles.token, 'invalid'],
    ];
  };

  it("a malformed, expired, tampered or another title's token is 403 with the reason, on an edge and at the origin", async () => {
    const cases = await badTokens();
    for (const place of places())
      for (const file of ['manifest.mpd', 'master.m3u8', `segment-v${tall.ladder[0]}-00001.m4s`])
        for (const [what, token, reason] of cases) {
          const url = withToken(sibling(place, file), token);
          const { status, body } = await refusal(url);
          expect({ what, file, at: new URL(place).port, status, body }).toEqual({
            what,
            file,
            at: new URL(place).port,
            status: 403,
            body: expect.objectContaining({ error: 'Forbidden', message: contentTokenRefusals[reason] }),
          });
        }
  });

  it('the same files are 200 with the session token (the refusals above are the tokens, not the files)', async () => {
    for (const place of places())
      for (const file of ['manifest.mpd', 'master.m3u8', `segment-v${tall.ladder[0]}-00001.m4s`])
        expect((await fetch(sibling(place, file))).status, `${file} at ${place}`).toBe(200);
  });

  it('path tricks stay 404, whatever the token', async () => {
    const { token, titleId, encodingId } = basicSession;
    const tricks = [
      `/c/${token}/${titleId}/${encodingId}/../../../secrets.json`,
      `/c/${token}/${titleId}/${encodingId}/%2e%2e/%2e%2e/secrets.json`,
      `/c/${token}/${titleId}/${encodingId}/..%2f..%2fsecrets.json`,
      `/c/${token}/${titleId}/${encodingId}/..%5c..%5csecrets.json`,
      `/c/${token}/${titleId}/${encodingId}/manifest.mpd%00.m4s`,
      `/c/${token}/${titleId}/${encodingId}/.hidden`,
      `/c/${token}/${titleId}/${encodingId}//manifest.mpd`,
      `/c/${token}/${titleId}/../${encodingId}/manifest.mpd`,
      `/c/${token}/${titleId}%2f${encodingId}/manifest.mpd`,
    ];
    for (const base of [platform.edgeUrls[0] as string, platform.originUrl])
      for (const path of tricks)
        for (const withBadToken of [false, true]) {
          const sent = withBadToken ? path.replace(token, 'not-a-token') : path;
          expect({ base, sent, status: await rawGet(base, sent) }).toEqual({ base, sent, status: 404 });
        }
  });
});

describe('a title withdrawn from viewers', () => {
  it('is refused everywhere (TitleUnavailable), the origin included, and its session gets no fresh token', async () => {
    const session = await play(standard, other);
    for (const place of session.manifests) expect((await fetch(place.dash)).status).toBe(200);
    const unpublished = await fetch(`${platform.commandApiUrl}/titles/${other.titleId}/unpublish`, {
      method: 'POST',
      headers: { 'x-api-key': platform.contentKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unpublished.status, await unpublished.text()).toBe(200);
    const segment = `segment-v${other.ladder[0]}-00001.m4s`;
    for (const place of session.manifests)
      for (const file of ['manifest.mpd', segment])
        await eventually(
          `${place.edgeId ?? 'origin'} to refuse ${file} of the unpublished title`,
          async () => {
            const { status, body } = await refusal(sibling(place.dash, file));
            return status === 403 && (body as { error?: string }).error === 'TitleUnavailable' ? body : undefined;
          },
          15_000,
        );
    const { body } = await refusal(sibling(session.manifests[0]?.dash as string, 'manifest.mpd'));
    expect(body).toEqual({ error: 'TitleUnavailable', message: 'This title is no longer available.' });
    await expect(heartbeatThroughApi(standard, session.sessionId, 1)).rejects.toMatchObject({ status: 409 });
  });
});
