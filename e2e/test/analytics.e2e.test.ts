/*
 * The CDN as an analyst sees it on the demo platform. On its first start `npm start` plays a
 * little demand on the demo titles (scripts/demo-demand.ts): short plays through the command
 * API, most from the regions with an edge (eu, us), some from one without (ap), whose plays are
 * content misses. The edges and the origin report what they served; the views join it with the
 * steering decisions. The analyst opens the analytics page with the analyst key and reads an
 * offload ratio and misses by class: numbers, not placeholders, matching the query API.
 */
import { developmentSecretsPath, loadDevelopmentSecrets } from '@marquee/platform';
import { launchChromium } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDemandPlan } from '../../scripts/demo-demand-plan';
import { demoTitles } from '../../scripts/seed-demo';
import { eventually, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();
const analystKey = loadDevelopmentSecrets(developmentSecretsPath(platform.dataDir)).analystKey;

type Figures = {
  edgeBytes: number;
  originBytes: number;
  offloadRatio: number | null;
  plays: number;
  missPlays: { content: number; health: number; steering: number };
  missBytes: { content: number; health: number; steering: number };
};
type Offload = {
  totals: Figures & { originEgressBytes: number };
  byRegion: (Figures & { region: string | null })[];
};

const analystQuery = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${platform.queryApiUrl}${path}`, { headers: { 'x-api-key': analystKey } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
};

/** The last week, as the page reads it by default. */
const lastWeek = () => {
  const until = new Date();
  return `from=${new Date(until.getTime() - 7 * 24 * 3_600_000).toISOString()}&until=${until.toISOString()}`;
};

/** The demo demand's plays from the region without an edge: the content misses it makes. */
const regionWithoutEdge = 'ap';
const demandFromThere = demoDemandPlan(demoTitles.map((title) => ({ titleId: title.key, name: title.name }))).filter(
  (play) => play.region === regionWithoutEdge,
).length;

let browser: Browser;
let page: Page;
let offload: Offload;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('the analytics page on the demo platform', () => {
  it("the demo's demand shows in the query API: bytes from the edges, content misses from the region without one", async () => {
    offload = await eventually(
      "the demo demand's plays and bytes in /analytics/offload",
      async () => {
        const answer = await analystQuery<Offload>(`/analytics/offload?${lastWeek()}`);
        const there = answer.byRegion.find((row) => row.region === regionWithoutEdge);
        return answer.totals.offloadRatio !== null && answer.totals.edgeBytes > 0 && there?.plays === demandFromThere
          ? answer
          : undefined;
      },
      180_000,
    );
    const { totals } = offload;
    console.log(
      `offload ${((totals.offloadRatio ?? 0) * 100).toFixed(1)}%: ${totals.edgeBytes} bytes from edges, ` +
        `${totals.originBytes} from the origin (egress ${totals.originEgressBytes}) over ${totals.plays} plays; ` +
        `missed plays ${JSON.stringify(totals.missPlays)}, missed bytes ${JSON.stringify(totals.missBytes)}`,
    );
    // No edge in ap: every play there is a content miss, and no other kind.
    const there = offload.byRegion.find((row) => row.region === regionWithoutEdge) as Figures;
    expect(there.missPlays).toEqual({ content: demandFromThere, health: 0, steering: 0 });
    expect(totals.missPlays.content).toBeGreaterThanOrEqual(demandFromThere);
    // eu and us have an edge holding every demo title: their plays start there.
    for (const region of ['eu', 'us']) {
      const row = offload.byRegion.find((entry) => entry.region === region);
      expect(row?.plays, `plays from ${region}`).toBeGreaterThan(0);
      expect(row?.missPlays.content, `content misses in ${region}`).toBe(0);
      expect(row?.offloadRatio, `offload in ${region}`).toBeGreaterThan(0.5);
    }
    expect(totals.offloadRatio).toBeGreaterThan(0);
    expect(totals.offloadRatio).toBeLessThanOrEqual(1);
  }, 200_000);

  it('the analyst reads the offload ratio, misses by class, origin titles and popularity per region', async () => {
    await page.goto(`${platform.playerUrl}/analytics`);
    await page.getByTestId('staff-key-input').fill(analystKey);
    await page.getByTestId('staff-key-save').click();

    const ratio = page.getByTestId('offload-ratio');
    await ratio.waitFor({ timeout: 15_000 });
    const shown = ((await ratio.textContent()) ?? '').trim();
    expect(shown).toMatch(/^\d{1,3}\.\d%$/);
    // The page reads the same week the API was asked for a moment ago; bytes may have come in since.
    expect(Math.abs(Number.parseFloat(shown) - (offload.totals.offloadRatio ?? 0) * 100)).toBeLessThan(5);

    const contentPlays = Number((await page.getByTestId('miss-content-plays').textContent())?.trim());
    expect(contentPlays).toBeGreaterThanOrEqual(demandFromThere);
    for (const missClass of ['health', 'steering']) {
      expect((await page.getByTestId(`miss-${missClass}-plays`).textContent())?.trim()).toMatch(/^\d+$/);
      expect((await page.getByTestId(`miss-${missClass}-bytes`).textContent())?.trim()).toMatch(
        /^\d+(\.\d)? (bytes|KiB|MiB|GiB)$/,
      );
    }
    const edgeBytes = ((await page.getByTestId('edge-bytes').textContent()) ?? '').trim();
    expect(edgeBytes).toMatch(/^\d+(\.\d)? (KiB|MiB|GiB)$/);

    // A bar for each region that played, ap among them; and the offload line.
    const byRegion = page.getByTestId('chart-offload-by-region');
    await expect.poll(() => byRegion.locator('rect').count()).toBeGreaterThanOrEqual(3);
    expect(await byRegion.textContent()).toContain(regionWithoutEdge);
    expect(await page.getByTestId('chart-offload-over-time').locator('circle').count()).toBeGreaterThan(0);
    await page.getByTestId('origin-titles').waitFor();

    // The region without an edge has a popularity ranking of what its viewers played.
    const ranking = page.getByTestId(`popularity-${regionWithoutEdge}`);
    await ranking.locator('li').first().waitFor({ timeout: 15_000 });
    const ranked = (await ranking.locator('li').allTextContents()).join(' | ');
    console.log(`popularity in ${regionWithoutEdge}: ${ranked}`);
    expect(demoTitles.some((title) => ranked.includes(title.name))).toBe(true);

    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/NaN|undefined/);
    await saveScreenshot(page, 'analytics-offload');
  });
});
