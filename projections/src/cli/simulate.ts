import { writeFileSync } from 'node:fs';
import { type FillPolicy, fillPolicies } from '@marquee/domain';
import { byteSize } from '@marquee/platform';
import type { Command } from 'commander';
import { offloadChartSvg } from '../simulate/offload-chart';
import { simulateFill } from '../simulate/simulate-fill';
import { simulationTable } from '../simulate/simulation-table';
import { UsageError } from './moments';
import { progressBar } from './progress-bar';
import { openStores } from './stores';

type SimulateOptions = {
  policy?: string;
  capacity?: string;
  from?: string;
  until?: string;
  region?: string;
  chart?: string;
  json?: boolean;
};

const parseTime = (value: string | undefined, option: string) => {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time))
    throw new UsageError(`${option} "${value}" is not an ISO time such as 2026-11-01T00:00:00Z.`);
  return new Date(time);
};

const parseOptions = (options: SimulateOptions) => {
  const policy = options.policy as FillPolicy;
  if (!fillPolicies.includes(policy))
    throw new UsageError(
      `--policy "${options.policy ?? ''}" is not a fill policy; there are: ${fillPolicies.join(', ')}.`,
    );
  let capacityBytes: number | undefined;
  if (options.capacity !== undefined) {
    const size = byteSize.safeParse(options.capacity);
    if (!size.success)
      throw new UsageError(`--capacity "${options.capacity}": ${size.error.issues.map((i) => i.message).join('; ')}.`);
    capacityBytes = size.data;
  }
  const from = parseTime(options.from, '--from');
  const until = parseTime(options.until, '--until');
  if (from && until && from >= until) throw new UsageError('--from must come before --until.');
  return { policy, capacityBytes, from, until, region: options.region };
};

export const simulateCommand = (program: Command) =>
  program
    .command('simulate')
    .description('what-if lab: replay recorded demand through another policy')
    .command('fill')
    .description(
      'replay the recorded plays and serving telemetry through a fill policy and report offload, origin egress, fill bytes and misses by class',
    )
    .option('--policy <policy>', `the fill policy: ${fillPolicies.join(', ')}`)
    .option('--capacity <size>', "each edge's disk, e.g. 2GB, 500MiB (default: each edge's registered capacity)")
    .option('--from <time>', 'count plays from this ISO time (earlier ones still warm the edges)')
    .option('--until <time>', 'count plays before this ISO time')
    .option('--region <region>', "count only this region's viewers and edges")
    .option('--chart <file.svg>', 'write an SVG bar chart of the offload ratio by region')
    .option('--json', 'print the figures as JSON')
    .action(async (options: SimulateOptions) => {
      const parsed = parseOptions(options);
      const stores = await openStores();
      const bar = progressBar(`simulate ${parsed.policy}`);
      try {
        const result = await simulateFill(stores.eventStore, parsed, bar.update);
        bar.stop();
        if (options.chart) writeFileSync(options.chart, offloadChartSvg(result));
        console.log(options.json ? JSON.stringify(result, null, 2) : simulationTable(result));
        if (options.chart && !options.json) console.log(`Chart written to ${options.chart}`);
      } finally {
        bar.stop();
        await stores.close();
      }
    });
