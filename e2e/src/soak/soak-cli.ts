// `npm run soak -- --minutes N`: the fault-injection soak for as long as you like, with a bar
// while it runs and the checks' verdicts at the end. Exits 1 when a check fails.
import { rm } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { describeSoak, runSoak } from './run-soak';

const positive = (what: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`${what} must be a positive number.`);
  return number;
};

const program = new Command('soak')
  .description(
    'Run the platform as `npm start` does under a steady load of viewers and uploads while injecting faults (services killed, Redis restarted, an edge disk full, slow clients), then check that nothing was lost, doubled, leaked or left unhealthy.',
  )
  .option('--minutes <n>', 'how long the load and the faults run', positive('--minutes'), 10)
  .option('--fault-every <seconds>', 'a fault this often', positive('--fault-every'), 30)
  .option('--viewer-every <seconds>', 'a new viewer this often', positive('--viewer-every'), 2)
  .option('--upload-every <seconds>', 'a new title uploaded this often', positive('--upload-every'), 20)
  .option('--seed <n>', 'seeds which services are killed and which titles played', positive('--seed'), Date.now() % 1e9)
  .option('--data-dir <path>', 'where the platform keeps its state (a fresh temporary folder by default)')
  .option('--log-file <path>', "where everything npm start prints goes (default: DATA_DIR's soak.log)")
  .option('--keep', 'keep the data folder even when the soak passes')
  .parse();

const options = program.opts<{
  minutes: number;
  faultEvery: number;
  viewerEvery: number;
  uploadEvery: number;
  seed: number;
  dataDir?: string;
  logFile?: string;
  keep?: boolean;
}>();

// A multi-bar of one, so log lines print above the bar instead of through it.
const bars = new cliProgress.MultiBar(
  {
    format:
      'soak {bar} {percentage}% | {viewers} viewers, {titles} titles, {commands} commands | {faults} faults | ETA {eta_formatted}',
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  },
  cliProgress.Presets.shades_classic,
);
let bar: cliProgress.SingleBar | undefined;
const log = (line: string) => {
  if (bar) bars.log(`[soak] ${line}\n`);
  else console.log(`[soak] ${line}`);
};

const report = await runSoak({
  loadMs: options.minutes * 60_000,
  faultEveryMs: options.faultEvery * 1000,
  viewerEveryMs: options.viewerEvery * 1000,
  uploadEveryMs: options.uploadEvery * 1000,
  seed: Math.floor(options.seed),
  ...(options.dataDir && { dataDir: options.dataDir }),
  ...(options.logFile && { logFile: options.logFile }),
  log,
  onProgress: (fraction, stats, faults) => {
    const values = {
      viewers: stats.viewersStarted,
      titles: stats.titlesCreated.length,
      commands: stats.commands.length,
      faults: faults.length,
    };
    bar ??= bars.create(1000, 0, values);
    bar.update(Math.round(fraction * 1000), values);
    if (fraction >= 1) bars.stop();
  },
}).catch((error: unknown) => {
  bars.stop();
  console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
for (const line of describeSoak(report)) console.log(line);
bars.stop();
if (report.ok && !options.keep) await rm(report.dataDir, { recursive: true, force: true });
process.exit(report.ok ? 0 : 1);
