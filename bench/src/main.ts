// npm run bench [-- <name> …]: runs the named benchmarks (all by default), prints one table,
// and writes bench/results/<name>.json for each.
import { parseArgs } from 'node:util';
import { commandsBenchmark } from './commands';
import { edgeBenchmark } from './edge';
import { encodeBenchmark } from './encode';
import { eventStoreBenchmark } from './event-store';
import { introDetectionBenchmark } from './intro-detection';
import { playerBenchmark } from './player';
import { queryBenchmark } from './query';
import { rebuildBenchmark } from './rebuild';
import { type BenchmarkResult, printTable, save } from './report';
import { simulateBenchmark } from './simulate';

const benchmarks: Record<string, () => Promise<BenchmarkResult>> = {
  'event-store': eventStoreBenchmark,
  rebuild: rebuildBenchmark,
  query: queryBenchmark,
  commands: commandsBenchmark,
  encode: encodeBenchmark,
  edge: edgeBenchmark,
  player: playerBenchmark,
  'intro-detection': introDetectionBenchmark,
  simulate: simulateBenchmark,
};

const { positionals } = parseArgs({ allowPositionals: true });
const names = positionals.length > 0 ? positionals : Object.keys(benchmarks);
const unknown = names.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; there are: ${Object.keys(benchmarks).join(', ')}.`);
  process.exit(2);
}

const outcomes: BenchmarkResult[] = [];
for (const name of names) {
  console.log(`running ${name}…`);
  const outcome = await (benchmarks[name] as () => Promise<BenchmarkResult>)();
  console.log(`  wrote ${save(outcome)}`);
  outcomes.push(outcome);
}
printTable(outcomes);
