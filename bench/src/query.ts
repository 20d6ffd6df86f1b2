// bench/query: browsing a 10,000-title catalog through the query API against an express
// hello-world, both under the same autocannon load, in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MarqueeEvent, streamName } from '@marquee/domain';
import {
  openCheckpointStore,
  openEventStore,
  openViewStore,
  signAccessToken,
  toEventsToAppend,
} from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { catalog, readView } from '@marquee/read-models';
import autocannon from 'autocannon';
import { result } from './report';
import { startServer } from './servers/server-process';

const titles = 10_000;
const durationSeconds = 10;
const connections = 32;
const genres = ['drama', 'comedy', 'documentary', 'scifi', 'thriller', 'animation', 'romance', 'horror'];
const sha = 'd'.repeat(64);

const seedCatalog = async (eventsUrl: string, viewsUrl: string) => {
  const eventStore = await openEventStore(eventsUrl, { synchronous: 'NORMAL' });
  const at = '2026-11-01T00:00:00.000Z';
  const appends: Promise<unknown>[] = [];
  for (let n = 0; n < titles; n++) {
    const titleId = `t${n}`;
    const manifestPath = `${titleId}/e1/manifest.mpd`;
    const events: MarqueeEvent[] = [
      {
        type: 'TitleCreated',
        data: {
          titleId,
          name: `Title ${n}`,
          synopsis: 'A title in a large catalog.',
          genres: [genres[n % genres.length] as string, genres[(n * 7) % genres.length] as string].filter(
            (g, i, a) => a.indexOf(g) === i,
          ),
          year: 1950 + (n % 76),
          maturityRating: 'all',
          at,
        },
      },
      {
        type: 'SourceUploaded',
        data: {
          titleId,
          uploadId: 'u1',
          path: 'u',
          sizeBytes: 1,
          sha256: sha,
          probe: {
            durationSeconds: 5400,
            width: 1920,
            height: 1080,
            frameRate: 25,
            videoCodec: 'h264',
            audioCodec: 'aac',
          },
          at,
        },
      },
      { type: 'EncodingStarted', data: { titleId, encodingId: 'e1', uploadId: 'u1', at } },
      {
        type: 'EncodingSucceeded',
        data: {
          titleId,
          encodingId: 'e1',
          ladder: [{ width: 1920, height: 1080, videoBitrateKbps: 4500 }],
          manifestPath,
          packageIndex: { files: 1, bytes: 1, sha256: sha },
          durationSeconds: 5400,
          encodeSeconds: 1,
          at,
        },
      },
      {
        type: 'TitlePublished',
        data: { titleId, encodingId: 'e1', manifestPath, at: new Date(Date.parse(at) + n * 60_000).toISOString() },
      },
    ];
    for (let play = 0; play < n % 13; play++)
      events.push({
        type: 'PlaybackStarted',
        data: {
          sessionId: `s${n}-${play}`,
          accountId: 'a',
          profileId: 'p',
          titleId,
          encodingId: 'e1',
          manifestPath,
          durationSeconds: 5400,
          maxHeight: 1080,
          edges: [],
          region: null,
          resumeFromSeconds: 0,
          at: '2026-11-20T00:00:00.000Z',
        },
      });
    const stream = streamName('title', titleId);
    appends.push(eventStore.appendToStream(stream, toEventsToAppend(stream, events)));
    if (appends.length >= 64) await Promise.all(appends.splice(0));
  }
  await Promise.all(appends);
  const viewStore = await openViewStore(viewsUrl);
  const checkpoints = await openCheckpointStore(viewsUrl);
  await rebuild({ eventStore, viewStore, checkpoints, projections: [catalog] });
  const published = await readView(viewStore, catalog).count({ published: true });
  await viewStore.close();
  await checkpoints.close();
  await eventStore.close();
  return published;
};

const load = async (port: number, requests: { path: string }[], headers: Record<string, string>) => {
  const run = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSeconds,
    headers,
    requests: requests.map((r) => ({ method: 'GET', path: r.path })),
  });
  if (run.errors > 0 || run.non2xx > 0)
    throw new Error(`${run.errors} errors and ${run.non2xx} non-2xx responses under load`);
  return { requestsPerSecond: run.requests.average, p99Ms: run.latency.p99, mbPerSecond: run.throughput.average / 1e6 };
};

export const queryBenchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-query-'));
  const urls = {
    EVENT_STORE_URL: `sqlite:${join(dir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dir, 'views.db')}`,
  };
  const published = await seedCatalog(urls.EVENT_STORE_URL, urls.VIEW_STORE_URL);
  const tokenSecret = 'bench-secret-'.padEnd(40, 'x');
  const token = await signAccessToken(tokenSecret, { accountId: 'a' });

  const hello = await startServer('hello-world', {});
  await load(hello.port, [{ path: '/' }], {});
  const baseline = await load(hello.port, [{ path: '/' }], {});
  await hello.stop();

  const api = await startServer('query-api', { ...urls, TOKEN_SECRET: tokenSecret });
  // What a viewer's browse page asks for: the most popular, the newest, and a genre row.
  const browse = [
    { path: '/catalog?limit=20' },
    { path: '/catalog?sort=recency&limit=20' },
    { path: '/catalog?genre=drama&limit=20' },
    { path: '/catalog?genre=scifi&sort=name&limit=20' },
  ];
  const auth = { authorization: `Bearer ${token}` };
  await load(api.port, browse, auth);
  const project = await load(api.port, browse, auth);
  await api.stop();
  rmSync(dir, { recursive: true, force: true });

  return result(
    'query',
    [
      {
        what: `catalog browse, ${titles.toLocaleString('en-US')} titles`,
        unit: 'requests/s',
        project: project.requestsPerSecond,
        baseline: baseline.requestsPerSecond,
        baselineName: 'express hello-world',
        target: 0.6,
      },
    ],
    {
      publishedTitles: published,
      connections,
      durationSeconds,
      browseP99Ms: project.p99Ms,
      browseP99TargetMs: 20,
      browseP99TargetMet: project.p99Ms < 20 ? 'yes' : 'no',
      browseMBPerSecond: Number(project.mbPerSecond.toFixed(2)),
      helloWorldP99Ms: baseline.p99Ms,
    },
  );
};
