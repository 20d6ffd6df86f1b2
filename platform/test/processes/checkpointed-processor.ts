// A processor whose effect is a row per event id (INSERT OR IGNORE: idempotent by event id),
// with its checkpoint in another database, so a kill can fall between the effect and the save.
// It exits once `expected` effects exist:
//   checkpointed-processor <events-url> <checkpoints-url> <category> <effects.db> <expected> [delay-ms]
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { checkpointIn, createProcessor, openCheckpointStore, openEventStore } from '../../src';

const [eventsUrl, checkpointsUrl, category, effectsPath, expectedArg, delayArg] = process.argv.slice(2);
if (!eventsUrl || !checkpointsUrl || !category || !effectsPath || !expectedArg)
  throw new Error(
    'usage: checkpointed-processor <events-url> <checkpoints-url> <category> <effects.db> <expected> [delay-ms]',
  );
const expected = Number(expectedArg);
const delayMs = Number(delayArg ?? 0);

const effects = new Database(effectsPath);
effects.pragma('journal_mode = WAL');
effects.exec('CREATE TABLE IF NOT EXISTS effects (id TEXT PRIMARY KEY, position INTEGER NOT NULL)');
effects.exec('CREATE TABLE IF NOT EXISTS deliveries (id TEXT NOT NULL)');
const apply = effects.transaction((id: string, position: number) => {
  effects.prepare('INSERT INTO deliveries (id) VALUES (?)').run(id);
  effects.prepare('INSERT OR IGNORE INTO effects (id, position) VALUES (?, ?)').run(id, position);
});
const count = () => effects.prepare('SELECT count(*) FROM effects').pluck().get() as number;

const eventStore = await openEventStore(eventsUrl);
const checkpoints = await openCheckpointStore(checkpointsUrl);
let finish: () => void = () => {};
const finished = new Promise<void>((resolve) => {
  finish = resolve;
});
const processor = createProcessor({
  name: 'effects',
  eventStore,
  checkpoint: checkpointIn(checkpoints, 'effects'),
  filter: { categories: [category] },
  now: () => new Date(),
  handle: async (event) => {
    apply(event.id, event.position);
    if (count() >= expected) finish();
    if (delayMs > 0) await sleep(delayMs);
  },
});
await processor.start();
process.stdout.write(`started from ${processor.status().position}\n`);
if (count() >= expected) finish();
await Promise.race([finished, processor.done]);
await processor.stop();
await processor.done;
await checkpoints.close();
await eventStore.close();
effects.close();
