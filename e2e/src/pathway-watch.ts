/*
 * Where a page's video comes from, seen from outside the player: every media segment answer
 * (which pathway served it, from the URL's host), every failed request, and every content
 * steering answer the page received (its PATHWAY-PRIORITY). Works the same for Marquee's
 * player, bare dash.js and bare hls.js, since it reads the network, not the player.
 */
import type { Page } from 'playwright-core';

export type SteeringAnswer = { at: number; priority: string[] };
/** `token`: the content token the request carried in its path. */
export type MediaAnswer = { at: number; pathway: string; status: number; file: string; token: string };
export type FailedRequest = { at: number; pathway: string; file: string; error: string };

export type PathwayWatch = {
  steering: SteeringAnswer[];
  media: MediaAnswer[];
  failed: FailedRequest[];
  /** The pathway of the last media segment answered with 2xx. */
  serving(): string | null;
  stop(): void;
};

const contentFile = /\/c\/([^/]+)\/[^/]+\/[^/]+\/((?:init|segment)-[^/?]+)/;
const steeringPath = /\/steering\//;

/** `directory`: each place's origin (scheme://host:port) → its pathway id. */
export const watchPathways = (page: Page, directory: Map<string, string>): PathwayWatch => {
  const watch: Omit<PathwayWatch, 'serving' | 'stop'> = { steering: [], media: [], failed: [] };
  const pathwayOf = (url: URL) => directory.get(url.origin) ?? url.origin;

  const onResponse = (response: import('playwright-core').Response) => {
    const url = new URL(response.url());
    const at = Date.now();
    const [, token, file] = contentFile.exec(url.pathname) ?? [];
    if (token && file) {
      watch.media.push({ at, pathway: pathwayOf(url), status: response.status(), file, token });
      return;
    }
    if (steeringPath.test(url.pathname) && response.ok())
      void response.json().then(
        (answer: { 'PATHWAY-PRIORITY'?: string[] }) =>
          watch.steering.push({ at, priority: answer['PATHWAY-PRIORITY'] ?? [] }),
        () => {},
      );
  };
  const onFailed = (failed: import('playwright-core').Request) => {
    const url = new URL(failed.url());
    const file = contentFile.exec(url.pathname)?.[2];
    if (file)
      watch.failed.push({ at: Date.now(), pathway: pathwayOf(url), file, error: failed.failure()?.errorText ?? '' });
  };
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  return {
    ...watch,
    serving: () => watch.media.findLast((answer) => answer.status < 300)?.pathway ?? null,
    stop: () => {
      page.off('response', onResponse);
      page.off('requestfailed', onFailed);
    },
  };
};

export type PathwayMove = {
  /** From the kill to the first steering answer that no longer lists the dead pathway. */
  steeredAfterMs: number | null;
  /** From the kill to the first media segment served by another pathway. */
  servedAfterMs: number | null;
  /** Where the segments came from next. */
  servedBy: string | null;
  /** Segment requests to the dead pathway that failed after the kill (BaseURL failover's cost). */
  failedRequests: number;
};

/** How a session moved off a pathway that died at `killedAt` (Date.now()). */
export const pathwayMove = (watch: PathwayWatch, dead: string, killedAt: number): PathwayMove => {
  const steered = watch.steering.find((answer) => answer.at >= killedAt && !answer.priority.includes(dead));
  const served = watch.media.find((answer) => answer.at >= killedAt && answer.status < 300 && answer.pathway !== dead);
  return {
    steeredAfterMs: steered ? steered.at - killedAt : null,
    servedAfterMs: served ? served.at - killedAt : null,
    servedBy: served?.pathway ?? null,
    failedRequests: watch.failed.filter((failed) => failed.at >= killedAt && failed.pathway === dead).length,
  };
};
