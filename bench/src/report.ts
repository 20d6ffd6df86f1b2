import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One comparison of the project against its baseline, measured in the same run. */
export type Comparison = {
  what: string;
  unit: string;
  project: number;
  baseline: number;
  baselineName: string;
  /** The issue's target for project ÷ baseline, if it sets one. */
  target?: number;
};

export type BenchmarkResult = {
  name: string;
  /** The headline ratio (project ÷ baseline, higher is better) and its target. */
  ratio: number;
  target: number | null;
  comparisons: (Comparison & { ratio: number; met: boolean | null })[];
  figures: Record<string, number | string>;
};

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export const result = (
  name: string,
  comparisons: Comparison[],
  figures: Record<string, number | string> = {},
): BenchmarkResult => {
  const rated = comparisons.map((c) => {
    const ratio = c.project / c.baseline;
    return { ...c, ratio, met: c.target === undefined ? null : ratio >= c.target };
  });
  const headline = rated.find((c) => c.target !== undefined) ?? rated[0];
  return { name, ratio: headline?.ratio ?? 0, target: headline?.target ?? null, comparisons: rated, figures };
};

export const save = (outcome: BenchmarkResult) => {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${outcome.name}.json`);
  writeFileSync(path, `${JSON.stringify(outcome, null, 2)}\n`);
  return path;
};

const round = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

export const printTable = (outcomes: BenchmarkResult[]) => {
  console.log(
    `\n${'benchmark'.padEnd(14)} ${'measure'.padEnd(40)} ${'project'.padStart(14)} ${'baseline'.padStart(14)}  ${'ratio'.padStart(6)}  target`,
  );
  for (const outcome of outcomes) {
    // A benchmark without a baseline (the player's) shows its figures instead.
    if (outcome.comparisons.length === 0)
      for (const [figure, value] of Object.entries(outcome.figures))
        console.log(`${outcome.name.padEnd(14)} ${figure.padEnd(40)} ${String(value).padStart(14)}`);
    for (const c of outcome.comparisons)
      console.log(
        `${outcome.name.padEnd(14)} ${`${c.what} (${c.unit})`.padEnd(40)} ${round(c.project).padStart(14)} ${round(c.baseline).padStart(14)}  ${c.ratio.toFixed(2).padStart(6)}  ${c.target === undefined ? '-' : `≥ ${c.target} ${c.met ? 'met' : 'MISSED'}`}   vs ${c.baselineName}`,
      );
  }
};
