import { type MarqueeEvent, planIds, streamName } from '@marquee/domain';
import { type EventStore, toEventsToAppend } from '@marquee/platform';

/**
 * Writes a realistic Marquee log for replay tests, benchmarks and demos: accounts with
 * profiles, published titles, edges that hold them, and a year of playback sessions with
 * heartbeats, QoE and leases. Seeded, so the same options give the same log.
 */
export type RealisticLogOptions = {
  /** Roughly how many events to write (within a session's worth). */
  events: number;
  seed?: number;
  /** The first event's time; sessions spread over the following year. */
  start?: Date;
  onProgress?: (written: number) => void;
};

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const genres = ['drama', 'comedy', 'documentary', 'scifi', 'thriller', 'animation', 'romance', 'horror'];
const words = [
  'Night',
  'River',
  'Glass',
  'Signal',
  'Harbor',
  'Echo',
  'Winter',
  'Orbit',
  'Paper',
  'Lantern',
  'Atlas',
  'Ember',
];
const sha = (n: number) => n.toString(16).padStart(64, '0');
const withTracks = (title: number) => title % 2 === 0;

export const writeRealisticLog = async (store: EventStore, options: RealisticLogOptions) => {
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const titleCount = Math.max(10, Math.round(options.events / 2000));
  const accountCount = Math.max(5, Math.round(options.events / 100));
  const yearMs = 365 * 24 * 3600 * 1000;
  let clock = (options.start ?? new Date('2025-11-24T00:00:00Z')).getTime();
  const at = () => new Date(clock).toISOString();
  let written = 0;
  let pending: Promise<unknown>[] = [];

  const append = async (stream: string, events: MarqueeEvent[]) => {
    pending.push(store.appendToStream(stream, toEventsToAppend(stream, events)));
    written += events.length;
    // Many appends in flight share the store's group commit.
    if (pending.length >= 64) {
      await Promise.all(pending);
      pending = [];
      options.onProgress?.(written);
    }
  };

  const edges = ['edge-eu-1', 'edge-us-1', 'edge-ap-1'];
  for (const [i, edgeId] of edges.entries())
    await append(streamName('edge', edgeId), [
      {
        type: 'EdgeRegistered',
        data: {
          edgeId,
          url: `http://127.0.0.1:${8101 + i}`,
          region: edgeId.split('-')[1] as string,
          capacityBytes: 500_000_000_000,
          upstream: 'http://127.0.0.1:8100',
          at: at(),
        },
      },
    ]);

  const titles: { titleId: string; durationSeconds: number }[] = [];
  for (let n = 0; n < titleCount; n++) {
    const titleId = `title${n}`;
    const durationSeconds = 600 + Math.floor(random() * 6600);
    const encodingId = `enc${n}`;
    const manifestPath = `${titleId}/${encodingId}/manifest.mpd`;
    await append(streamName('title', titleId), [
      {
        type: 'TitleCreated',
        data: {
          titleId,
          name: `${pick(words)} ${pick(words)} ${n}`,
          synopsis: 'A story told in events.',
          genres: [pick(genres), pick(genres)].filter((g, i, all) => all.indexOf(g) === i),
          year: 1960 + Math.floor(random() * 66),
          maturityRating: pick(['all', '7+', '13+', '16+', '18+'] as const),
          at: at(),
        },
      },
      {
        type: 'SourceUploaded',
        data: {
          titleId,
          uploadId: `up${n}`,
          path: `uploads/up${n}`,
          sizeBytes: 2_000_000_000,
          sha256: sha(n),
          probe: { durationSeconds, width: 1920, height: 1080, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
          at: at(),
        },
      },
      // Every other title has captions and a second audio language (no random draw, so the log stays as it was otherwise).
      ...(withTracks(n)
        ? [
            {
              type: 'CaptionsAdded' as const,
              data: {
                titleId,
                language: 'en',
                path: `uploads/cc${n}.vtt`,
                sha256: sha(n + 2),
                cueCount: 400,
                at: at(),
              },
            },
            {
              type: 'AudioTrackAdded' as const,
              data: {
                titleId,
                trackId: `dub${n}`,
                language: 'fr',
                path: `uploads/dub${n}.m4a`,
                sizeBytes: 90_000_000,
                sha256: sha(n + 3),
                at: at(),
              },
            },
          ]
        : []),
      { type: 'EncodingStarted', data: { titleId, encodingId, uploadId: `up${n}`, at: at() } },
      {
        type: 'EncodingSucceeded',
        data: {
          titleId,
          encodingId,
          ladder: [360, 720, 1080].map((height) => ({
            width: Math.round((height * 16) / 9),
            height,
            videoBitrateKbps: height * 4,
          })),
          manifestPath,
          packageIndex: { files: 120, bytes: 900_000_000, sha256: sha(n + 1) },
          durationSeconds,
          encodeSeconds: 300,
          ...(withTracks(n) && {
            tracks: {
              audio: [
                { language: 'en', trackId: null },
                { language: 'fr', trackId: `dub${n}` },
              ],
              captions: [{ language: 'en', sha256: sha(n + 2) }],
              thumbnails: { intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 },
            },
          }),
          at: at(),
        },
      },
      { type: 'TitlePublished', data: { titleId, encodingId, manifestPath, at: at() } },
    ]);
    for (const edgeId of edges)
      await append(streamName('edge', edgeId), [
        { type: 'EdgeFillStarted', data: { edgeId, titleId, encodingId, bytes: 900_000_000, at: at() } },
        { type: 'EdgeFillCompleted', data: { edgeId, titleId, encodingId, bytes: 900_000_000, seconds: 12, at: at() } },
      ]);
    titles.push({ titleId, durationSeconds });
  }

  const accounts: { accountId: string; profiles: string[] }[] = [];
  for (let n = 0; n < accountCount; n++) {
    const accountId = `acct${n}`;
    const profiles = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, p) => `${accountId}-p${p}`);
    await append(streamName('account', accountId), [
      {
        type: 'AccountRegistered',
        data: { accountId, email: `viewer${n}@example.com`, passwordHash: 'scrypt$demo', at: at() },
      },
      { type: 'SubscriptionStarted', data: { accountId, plan: pick(planIds), at: at() } },
      ...profiles.map((profileId, p) => ({
        type: 'ProfileCreated' as const,
        data: { accountId, profileId, name: `Profile ${p + 1}`, kids: p === 2, at: at() },
      })),
      ...(n % 3 === 0
        ? [
            {
              type: 'ProfileLanguagesSet' as const,
              data: { accountId, profileId: `${accountId}-p0`, audioLanguage: 'fr', captionLanguage: 'en', at: at() },
            },
          ]
        : []),
    ]);
    accounts.push({ accountId, profiles });
  }

  const remaining = Math.max(0, options.events - written);
  const sessionsExpected = Math.max(1, Math.round(remaining / 22));
  const step = yearMs / sessionsExpected;
  for (let session = 0; written < options.events; session++) {
    clock += Math.floor(step * (0.5 + random()));
    const account = pick(accounts);
    const profileId = pick(account.profiles);
    const title = pick(titles);
    const sessionId = `s${session}`;
    const ref = { sessionId, accountId: account.accountId, profileId, titleId: title.titleId };
    const heartbeats = 5 + Math.floor(random() * 30);
    const leaseStart = at();
    const events: MarqueeEvent[] = [
      {
        type: 'PlaybackStarted',
        data: {
          ...ref,
          encodingId: `enc${title.titleId.slice(5)}`,
          manifestPath: `${title.titleId}/enc${title.titleId.slice(5)}/manifest.mpd`,
          durationSeconds: title.durationSeconds,
          maxHeight: 1080,
          edges,
          holders: edges.map((edgeId) => ({ edgeId, region: edgeId.split('-')[1] as string, healthy: true })),
          region: null,
          resumeFromSeconds: 0,
          at: leaseStart,
        },
      },
    ];
    let position = 0;
    for (let h = 0; h < heartbeats; h++) {
      clock += 10_000;
      position = Math.min(title.durationSeconds, position + 10 + Math.floor(random() * 200));
      events.push({ type: 'PlaybackProgressed', data: { ...ref, positionSeconds: position, at: at() } });
    }
    const servedBy = pick([...edges, null]);
    events.push(
      {
        type: 'PlaybackQoEReported',
        data: {
          ...ref,
          edgeId: servedBy,
          startupMs: 200 + Math.floor(random() * 900),
          rebufferCount: random() < 0.8 ? 0 : 1 + Math.floor(random() * 3),
          rebufferMs: random() < 0.8 ? 0 : Math.floor(random() * 4000),
          averageBitrateKbps: 1500 + Math.floor(random() * 3000),
          switches: Math.floor(random() * 5),
          watchedSeconds: heartbeats * 10,
          at: at(),
        },
      },
      { type: 'PlaybackStopped', data: { ...ref, positionSeconds: position, at: at() } },
    );
    await append(streamName('account', account.accountId), [
      {
        type: 'PlaybackLeaseGranted',
        data: {
          accountId: account.accountId,
          sessionId,
          profileId,
          titleId: title.titleId,
          expiresAt: at(),
          at: leaseStart,
        },
      },
    ]);
    await append(streamName('playback', sessionId), events);
    // What the node that served the session reported of it, at about 3 Mbit/s.
    const nodeId = servedBy ?? 'origin';
    const bytes = heartbeats * 10 * 375_000;
    const served = { titleId: title.titleId, encodingId: `enc${title.titleId.slice(5)}` };
    await append(streamName('serving', nodeId), [
      {
        type: 'ServingReported',
        data: {
          nodeId,
          role: servedBy ? 'edge' : 'origin',
          region: servedBy ? (servedBy.split('-')[1] as string) : null,
          intervalStart: at(),
          intervalSeconds: 10,
          rows: [{ ...served, rung: 1080, status: 'hit', client: 'viewer', requests: heartbeats * 5, bytes }],
          sessions: [{ sessionId, ...served, region: null, requests: heartbeats * 5, hitBytes: bytes, missBytes: 0 }],
          overflow: { rows: 0, sessions: 0, requests: 0, bytes: 0 },
          at: at(),
        },
      },
    ]);
    await append(streamName('account', account.accountId), [
      { type: 'PlaybackLeaseReleased', data: { accountId: account.accountId, sessionId, at: at() } },
    ]);
  }
  await Promise.all(pending);
  options.onProgress?.(written);
  return { events: written, titles: titles.length, accounts: accounts.length };
};
