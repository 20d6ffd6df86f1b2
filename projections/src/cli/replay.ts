import { type AnyProjection, allProjections } from '@marquee/read-models';
import type { Command } from 'commander';
import { buildSnapshot, rebuild } from '../runner/generations';
import { type Moment, parseMoment, UsageError } from './moments';
import { progressBar } from './progress-bar';
import { openStores } from './stores';

const chooseProjections = (names: string[], all: boolean): AnyProjection[] => {
  if (all && names.length > 0) throw new UsageError('Name projections or give --all, not both.');
  if (all) return [...allProjections];
  if (names.length === 0)
    throw new UsageError(`Name the projections to replay, or --all: ${allProjections.map((p) => p.name).join(', ')}.`);
  return names.map((name) => {
    const projection = allProjections.find((p) => p.name === name);
    if (!projection)
      throw new UsageError(
        `There is no projection "${name}"; there are: ${allProjections.map((p) => p.name).join(', ')}.`,
      );
    return projection;
  });
};

const defaultSnapshotName = (moment: Moment) =>
  'position' in moment
    ? `asof-${moment.position}`
    : `asof-${moment.time
        .toISOString()
        .replace(/[^0-9]/g, '')
        .slice(0, 14)}`;

export const replayCommand = (program: Command) =>
  program
    .command('replay')
    .description(
      'rebuild views from the log into fresh collections and swap them in when caught up (blue/green); with --until, build a snapshot as of a past moment instead',
    )
    .argument('[projections...]', 'projection names')
    .option('--all', 'every projection')
    .option('--until <moment>', 'a position or ISO time: build the views as they were then')
    .option('--snapshot <name>', 'the snapshot name for --until (queried with ?asOf=<name>)')
    .action(async (names: string[], options: { all?: boolean; until?: string; snapshot?: string }) => {
      const projections = chooseProjections(names, options.all ?? false);
      if (options.snapshot && !options.until) throw new UsageError('--snapshot goes with --until.');
      const until = options.until ? parseMoment(options.until, '--until') : undefined;
      const stores = await openStores();
      const bar = progressBar(until ? 'snapshot' : 'replay');
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      try {
        const started = Date.now();
        if (until) {
          const snapshot = options.snapshot ?? defaultSnapshotName(until);
          const { position } = await buildSnapshot({
            ...stores,
            projections,
            snapshot,
            until,
            onProgress: bar.update,
            signal: stop.signal,
          });
          bar.stop();
          console.log(
            `Snapshot "${snapshot}" holds ${projections.map((p) => p.name).join(', ')} as of position ${position}.`,
          );
          console.log(`Query it with ?asOf=${snapshot}, for example GET /catalog?asOf=${snapshot}`);
        } else {
          const { position, collections } = await rebuild({
            ...stores,
            projections,
            onProgress: bar.update,
            signal: stop.signal,
          });
          bar.stop();
          if (stop.signal.aborted) {
            console.log('Replay interrupted; the live views were not touched.');
            return;
          }
          console.log(
            `Rebuilt ${collections.length} view(s) up to position ${position} in ${((Date.now() - started) / 1000).toFixed(1)} s and swapped them in: ${collections.join(', ')}`,
          );
        }
      } finally {
        bar.stop();
        await stores.close();
      }
    });
