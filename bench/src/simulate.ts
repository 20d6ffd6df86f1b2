// bench/simulate: the fill simulator over a generated year of demand (3 regions, 200 titles,
// plays with their serving telemetry, an edge outage) against the event store's own readAll
// of the same log, in one run. Both rates count the log's events: the simulator reads only the
// types it replays, which is part of what makes it fast. The headline is the slowest policy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillPolicies } from '@marquee/domain';
import { openEventStore } from '@marquee/platform';
import { policyComparisonTable, type SimulationResult, simulateFill } from '@marquee/projections';
import { writeDemandLog } from '@marquee/projections/testing';
import { result } from './report';

const plays = Number(process.env.SIMULATE_PLAYS ?? 40_000);
const capacityBytes = 50e9;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export const simulateBenchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-simulate-'));
  const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`, { synchronous: 'NORMAL' });
  const generateStart = process.hrtime.bigint();
  const log = await writeDemandLog(eventStore, {
    plays,
    titles: 200,
    outages: [{ edgeId: 'edge-eu', from: new Date('2025-06-01T00:00:00Z'), until: new Date('2025-06-08T00:00:00Z') }],
  });
  const head = await eventStore.headPosition();
  console.log(`  generated ${head.toLocaleString('en-US')} events in ${seconds(generateStart).toFixed(1)} s`);

  const readAllSeconds: number[] = [];
  const readAll = async () => {
    const start = process.hrtime.bigint();
    let read = 0;
    for await (const _ of eventStore.readAll()) read++;
    readAllSeconds.push(seconds(start));
    return read;
  };
  // The baseline before and after the simulations, so that what else the machine does falls on both alike.
  const events = await readAll();
  const runs: { result: SimulationResult; seconds: number }[] = [];
  for (const policy of fillPolicies) {
    const start = process.hrtime.bigint();
    const simulated = await simulateFill(eventStore, { policy, capacityBytes });
    runs.push({ result: simulated, seconds: seconds(start) });
  }
  await readAll();
  await eventStore.close();
  rmSync(dir, { recursive: true, force: true });

  const readRate = events / (readAllSeconds.reduce((sum, s) => sum + s, 0) / readAllSeconds.length);
  console.log(`\n  ${plays.toLocaleString('en-US')} plays, ${capacityBytes / 1e9} GB per edge:\n`);
  console.log(`${policyComparisonTable(runs.map((run) => run.result))}\n`);
  const slowest = runs.reduce((worst, run) => (run.seconds > worst.seconds ? run : worst));
  const figures: Record<string, number | string> = {
    events,
    plays,
    titles: log.titles,
    regions: log.regions,
    capacityBytesPerEdge: capacityBytes,
    readAllEventsPerSecond: Math.round(readRate),
  };
  for (const run of runs) {
    const name = run.result.policy;
    figures[`${name}.eventsPerSecond`] = Math.round(events / run.seconds);
    figures[`${name}.offloadRatio`] = Number((run.result.totals.offloadRatio ?? 0).toFixed(4));
    figures[`${name}.originEgressBytes`] = run.result.totals.originEgressBytes;
    figures[`${name}.fillBytes`] = run.result.totals.fillBytes;
    figures[`${name}.missPlays`] = JSON.stringify(run.result.totals.missPlays);
  }
  return result(
    'simulate',
    [
      {
        what: `simulate ${slowest.result.policy} (slowest) over ${events.toLocaleString('en-US')} events`,
        unit: 'events/s',
        project: events / slowest.seconds,
        baseline: readRate,
        baselineName: "the event store's readAll over the same log",
        target: 0.5,
      },
      ...runs
        .filter((run) => run !== slowest)
        .map((run) => ({
          what: `simulate ${run.result.policy}`,
          unit: 'events/s',
          project: events / run.seconds,
          baseline: readRate,
          baselineName: "the event store's readAll over the same log",
        })),
    ],
    figures,
  );
};
