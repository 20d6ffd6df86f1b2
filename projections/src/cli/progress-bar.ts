import cliProgress from 'cli-progress';
import type { Progress } from '../runner/run-projections';

/** A bar on stderr for a run through the log: position, events/s and time left. */
export const progressBar = (label: string) => {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% | position {value}/{total} | {rate} events/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (progress: Progress) => {
      const total = Math.max(1, progress.head);
      const rate = Math.round(progress.events / Math.max(0.001, (Date.now() - progress.startedAt) / 1000));
      if (!started) {
        bar.start(total, progress.from, { rate: 0 });
        started = true;
      }
      bar.setTotal(Math.max(total, progress.position));
      bar.update(progress.position, { rate: rate.toLocaleString('en-US') });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};
