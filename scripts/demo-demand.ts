// The demo's first-start traffic: a viewer plays the demand plan (demo-demand-plan.ts) through
// the command API as any client does (POST /playback with a region, then the HLS master's first
// rung from the places steering answered, best first, moving to the next when one fails, then
// stop), so the edges and the origin serve real bytes to real sessions and the analytics page
// has offload and misses to show. Bounded in time and never in the way of `npm start`: it runs
// in the background once the demo titles are on the edges, once per data folder.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type DemandPlay, type DemandTitle, demoDemandPlan } from './demo-demand-plan';
import { firstVariant, leadingSegments } from './hls-first-rung';

const signedUp = z.object({ accountId: z.string(), token: z.string() });
const createdProfile = z.object({ profileId: z.string() });
const startedPlayback = z.object({
  sessionId: z.string(),
  manifests: z.array(z.object({ edgeId: z.string().nullable(), hls: z.url() })).min(1),
});

export type DemandViewer = { commandApi: string; bearer: string; profileId: string };

/** What the demand played: plays done and given up, and the bytes each place served. */
export type DemandReport = {
  plays: number;
  failedPlays: number;
  /** Plays not started because the time budget ran out. */
  skippedPlays: number;
  bytesByPlace: Record<string, number>;
  /** Plays that moved off the place steering offered first. */
  movedPlays: number;
  /** Why the first failed play failed, to say in the log. */
  firstFailure?: string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A command as a viewer sends it; a 429 (sign-ups are limited per address) is waited out as Retry-After says. */
const command = async (url: string, body: unknown, bearer?: string, patienceMs = 60_000) => {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as unknown;
    const retryAfterMs = Number(response.headers.get('retry-after') ?? '5') * 1000;
    if (response.status === 429 && Date.now() + retryAfterMs < deadline) {
      await sleep(retryAfterMs);
      continue;
    }
    throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text}`);
  }
};

/** A premium account (four streams: the plays run three at a time) with one profile. */
export const signUpDemandViewer = async (commandApi: string): Promise<DemandViewer> => {
  const account = signedUp.parse(
    await command(`${commandApi}/accounts`, {
      email: `demo-viewer-${randomUUID()}@example.com`,
      password: 'demo viewer password',
      plan: 'premium',
    }),
  );
  const profile = createdProfile.parse(
    await command(`${commandApi}/accounts/${account.accountId}/profiles`, { name: 'Demo viewer' }, account.token),
  );
  return { commandApi, bearer: account.token, profileId: profile.profileId };
};

class PlaceFailed extends Error {}

/** A file's bytes from one place; a refusal or an unreachable place is that place failing. */
const fetchBytes = async (url: string): Promise<{ text: string; bytes: number }> => {
  const response = await fetch(url).catch((error: unknown) => {
    throw new PlaceFailed(`${url}: ${error instanceof Error ? error.message : error}`);
  });
  if (!response.ok) throw new PlaceFailed(`${url} answered ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  return { text: body.toString('utf8'), bytes: body.length };
};

/**
 * One play: the first rung's init and first segments from the first place that serves them all,
 * as a player falls back along the places steering ranked. Returns the bytes per place.
 */
export const playOnce = async (
  viewer: DemandViewer,
  play: DemandPlay,
  segmentsPerPlay: number,
): Promise<{ bytesByPlace: Record<string, number>; moved: boolean }> => {
  const started = startedPlayback.parse(
    await command(
      `${viewer.commandApi}/playback`,
      { profileId: viewer.profileId, titleId: play.titleId, region: play.region },
      viewer.bearer,
    ),
  );
  const bytesByPlace: Record<string, number> = {};
  let seconds = 0;
  try {
    for (const [rank, place] of started.manifests.entries()) {
      const name = place.edgeId ?? 'origin';
      try {
        const master = await fetchBytes(place.hls);
        const tally = (bytes: number) => (bytesByPlace[name] = (bytesByPlace[name] ?? 0) + bytes);
        tally(master.bytes);
        const rung = firstVariant(master.text);
        if (!rung) throw new PlaceFailed(`${place.hls} lists no variant`);
        const mediaUrl = new URL(rung, place.hls);
        const media = await fetchBytes(mediaUrl.href);
        tally(media.bytes);
        const files = leadingSegments(media.text, segmentsPerPlay);
        for (const file of [...(files.init ? [files.init] : []), ...files.segments])
          tally((await fetchBytes(new URL(file, mediaUrl).href)).bytes);
        seconds = files.seconds;
        return { bytesByPlace, moved: rank > 0 };
      } catch (error) {
        if (!(error instanceof PlaceFailed) || rank === started.manifests.length - 1) throw error;
      }
    }
    throw new Error('no place to play from');
  } finally {
    // The stream slot goes back either way.
    await command(
      `${viewer.commandApi}/playback/${started.sessionId}/stop`,
      { profileId: viewer.profileId, positionSeconds: seconds },
      viewer.bearer,
    ).catch(() => {});
  }
};

/** Plays the plan, `concurrency` at a time, starting none after `budgetMs`. */
export const playDemand = async (options: {
  viewer: DemandViewer;
  plan: readonly DemandPlay[];
  concurrency?: number;
  segmentsPerPlay?: number;
  budgetMs: number;
  now: () => number;
}): Promise<DemandReport> => {
  const { viewer, plan, concurrency = 3, segmentsPerPlay = 3, budgetMs, now } = options;
  const startedAt = now();
  const report: DemandReport = { plays: 0, failedPlays: 0, skippedPlays: 0, bytesByPlace: {}, movedPlays: 0 };
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < plan.length; index = next++) {
      if (now() - startedAt > budgetMs) {
        report.skippedPlays++;
        continue;
      }
      try {
        const played = await playOnce(viewer, plan[index] as DemandPlay, segmentsPerPlay);
        report.plays++;
        if (played.moved) report.movedPlays++;
        for (const [place, bytes] of Object.entries(played.bytesByPlace))
          report.bytesByPlace[place] = (report.bytesByPlace[place] ?? 0) + bytes;
      } catch (error) {
        report.failedPlays++;
        report.firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return report;
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * The first start's demand, once per data folder: marked before it starts, so a start cut short
 * does not play it twice (a partial demand still shows on the page).
 */
export const playDemoDemandOnce = async (options: {
  dataDir: string;
  commandApi: string;
  titles: readonly DemandTitle[];
  log: (line: string) => void;
  now?: () => number;
  budgetMs?: number;
}): Promise<DemandReport | null> => {
  const { commandApi, titles, log, now = Date.now, budgetMs = 20_000 } = options;
  const marker = join(options.dataDir, 'demo', 'demand.json');
  if (existsSync(marker)) return null;
  const plan = demoDemandPlan(titles);
  if (plan.length === 0) return null;
  await writeFile(marker, `${JSON.stringify({ startedAt: new Date(now()).toISOString() })}\n`);
  const regions = [...new Set(plan.map((play) => play.region))]
    .map((region) => `${region} ${plan.filter((play) => play.region === region).length}`)
    .join(', ');
  log(`demand: ${plan.length} short plays of ${titles.length} titles (${regions}), so Analytics has traffic to show`);
  const startedAt = now();
  const viewer = await signUpDemandViewer(commandApi);
  const report = await playDemand({ viewer, plan, budgetMs, now });
  const places = Object.entries(report.bytesByPlace)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([place, bytes]) => `${place} ${megabytes(bytes)}`)
    .join(', ');
  log(
    `demand played: ${report.plays} plays in ${((now() - startedAt) / 1000).toFixed(1)} s (${places || 'no bytes'})` +
      `${report.failedPlays > 0 ? `, ${report.failedPlays} failed (first: ${report.firstFailure})` : ''}` +
      `${report.skippedPlays > 0 ? `, ${report.skippedPlays} left out past the time budget` : ''}`,
  );
  await writeFile(marker, `${JSON.stringify({ startedAt: new Date(startedAt).toISOString(), ...report }, null, 2)}\n`);
  return report;
};
