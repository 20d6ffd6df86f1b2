/*
 * What the global setup hands every test file: where the platform is and what it seeded.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';

export type PlatformUnderTest = {
  dataDir: string;
  playerUrl: string;
  commandApiUrl: string;
  queryApiUrl: string;
  originUrl: string;
  edgeUrls: string[];
  contentKey: string;
  /** The process group of `npm start` (its pid): Ctrl-C goes there. */
  processGroup: number;
  demoTitles: string[];
};

declare module 'vitest' {
  export interface ProvidedContext {
    platform: PlatformUnderTest;
  }
}

export const platformUnderTest = () => inject('platform');

export const artifactsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** Saves a screenshot under e2e/artifacts/ and prints where. */
export const saveScreenshot = async (page: Page, name: string) => {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
};

/** Each title's rung heights (its succeeded encodings', lowest first), as the content team sees them. */
export const titleLadders = async (platform: PlatformUnderTest): Promise<Map<string, number[]>> => {
  const response = await fetch(`${platform.queryApiUrl}/titles?limit=100`, {
    headers: { 'x-api-key': platform.contentKey },
  });
  if (!response.ok) throw new Error(`GET /titles answered ${response.status}: ${await response.text()}`);
  const { items } = (await response.json()) as {
    items: { titleId: string; encodings: { status: string; ladder: { height: number }[] }[] }[];
  };
  return new Map(
    items.map((title) => [
      title.titleId,
      [
        ...new Set(
          title.encodings.filter((e) => e.status === 'succeeded').flatMap((e) => e.ladder.map((r) => r.height)),
        ),
      ].toSorted((a, b) => a - b),
    ]),
  );
};

/** Each title's tallest rung, as the content team sees its encodings. */
export const tallestRungs = async (platform: PlatformUnderTest): Promise<Map<string, number>> =>
  new Map([...(await titleLadders(platform))].map(([titleId, heights]) => [titleId, Math.max(0, ...heights)]));

/** The titles an edge's GET /status lists as held. */
export const heldBy = async (edgeUrl: string): Promise<string[]> => {
  const status = (await (await fetch(`${edgeUrl}/status`)).json()) as { held?: { titleId: string }[] };
  return (status.held ?? []).map((entry) => entry.titleId);
};

/** Polls until `check` returns something other than undefined/false, or fails saying what it waited for. */
export const eventually = async <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

/** A GET on the query API with the content key, as the content team reads a title. */
export const contentQuery = async <T>(platform: PlatformUnderTest, path: string): Promise<T> => {
  const response = await fetch(`${platform.queryApiUrl}${path}`, { headers: { 'x-api-key': platform.contentKey } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
};

/** A command on the command API with the content key (JSON unless said). */
export const contentCommand = async (
  platform: PlatformUnderTest,
  method: string,
  path: string,
  body: BodyInit,
  contentType = 'application/json',
) => {
  const response = await fetch(`${platform.commandApiUrl}${path}`, {
    method,
    headers: { 'x-api-key': platform.contentKey, 'content-type': contentType },
    body,
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
};
