import { formatBytes } from '@marquee/platform';
import type { SimulatedFigures } from './delivery-figures';
import type { SimulationResult } from './simulate-fill';

/* The simulator's figures as text tables: one run by region, or several policies side by side. */

const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)} %`);
const columns: [string, (f: SimulatedFigures) => string][] = [
  ['plays', (f) => String(f.plays)],
  ['offload', (f) => percent(f.offloadRatio)],
  ['origin egress', (f) => formatBytes(f.originEgressBytes)],
  ['fill bytes', (f) => formatBytes(f.fillBytes)],
  ['miss plays c/h/s', (f) => `${f.missPlays.content}/${f.missPlays.health}/${f.missPlays.steering}`],
  ['content miss', (f) => formatBytes(f.missBytes.content)],
  ['health miss', (f) => formatBytes(f.missBytes.health)],
  ['steering miss', (f) => formatBytes(f.missBytes.steering)],
];

/** The result as a table: one row per region, then the total. */
export const simulationTable = (result: SimulationResult) => {
  const rows = [
    ...result.byRegion.map((figures) => [figures.region ?? '(none)', ...columns.map(([, cell]) => cell(figures))]),
    ['total', ...columns.map(([, cell]) => cell(result.totals))],
  ];
  const header = ['region', ...columns.map(([name]) => name)];
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const capacity =
    result.capacityBytes === null
      ? 'each edge its registered capacity'
      : `${formatBytes(result.capacityBytes)} per edge`;
  return [
    `Fill policy ${result.policy}, ${capacity}: ${result.sessions} sessions (${result.estimatedSessions} estimated without telemetry) from ${result.events} events.`,
    line(header),
    ...rows.map(line),
  ].join('\n');
};

/** Several runs over the same demand, one row per policy, in total. */
export const policyComparisonTable = (results: readonly SimulationResult[]) => {
  const rows = results.map((result) => [result.policy, ...columns.map(([, cell]) => cell(result.totals))]);
  const header = ['policy', ...columns.map(([name]) => name)];
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
};
