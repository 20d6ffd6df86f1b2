import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ServingReported } from '@marquee/domain';
import { pathExists, writeFileDurably } from '@marquee/platform';
import type { z } from 'zod';

/*
 * Closed intervals waiting to be appended, on the node's own disk: an interval is written here
 * (durably) before it is appended and removed after, so a node killed at any moment in between
 * appends it again at its next start; the event's id makes that second append a no-op. The
 * last interval appended is remembered too, so that a node restarted within that interval
 * counts what it serves next in a later one rather than under an id already used.
 */

export type ServingReport = z.infer<typeof ServingReported.schema>;

const fileName = (intervalStart: string) => `interval-${Date.parse(intervalStart)}.json`;
const intervalFile = /^interval-(\d+)\.json$/;
const lastReportedFile = 'last-reported.json';

export type ServingSpool = {
  /** Spooled intervals, oldest first (their starts). */
  pending(): Promise<string[]>;
  write(report: ServingReport): Promise<void>;
  read(intervalStart: string): Promise<ServingReport>;
  /** The interval was appended: forget it, and remember it as the last one. */
  reported(intervalStart: string): Promise<void>;
  /** The start of the last interval appended by this node, if any. */
  lastReported(): Promise<string | undefined>;
  /** A file that cannot be read as an interval: set aside (`.rejected`) for an operator, never retried. */
  reject(intervalStart: string): Promise<void>;
};

export const openServingSpool = async (dir: string): Promise<ServingSpool> => {
  await mkdir(dir, { recursive: true });
  // A write cut off by a crash leaves its part file; the interval it held was the one in flight.
  for (const name of await readdir(dir)) if (name.endsWith('.part')) await rm(join(dir, name), { force: true });
  const pending = async () =>
    (await readdir(dir))
      .map((name) => intervalFile.exec(name)?.[1])
      .filter((ms): ms is string => ms !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
      .map((ms) => new Date(ms).toISOString());
  return {
    pending,
    write: (report) => writeFileDurably(join(dir, fileName(report.intervalStart)), JSON.stringify(report)),
    // Validated: a file of a node's own is trusted, but a torn disk is better refused than appended.
    read: async (intervalStart) =>
      ServingReported.schema.parse(JSON.parse(await readFile(join(dir, fileName(intervalStart)), 'utf8'))),
    reported: async (intervalStart) => {
      await writeFileDurably(join(dir, lastReportedFile), JSON.stringify({ intervalStart }));
      await rm(join(dir, fileName(intervalStart)), { force: true });
    },
    reject: async (intervalStart) => {
      const path = join(dir, fileName(intervalStart));
      await rename(path, `${path}.rejected`);
    },
    lastReported: async () => {
      const path = join(dir, lastReportedFile);
      if (!(await pathExists(path))) return undefined;
      const { intervalStart } = JSON.parse(await readFile(path, 'utf8')) as { intervalStart?: unknown };
      return typeof intervalStart === 'string' ? intervalStart : undefined;
    },
  };
};
