// A subscriber that records what it sees and its checkpoint in one transaction, as a
// projection does, then exits once it has seen `expected` events:
//   checkpointed-subscriber <store-url> <category> <out.db> <expected> [delay-ms]
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openEventStore } from '../../src';

const [url, category, outPath, expectedArg, delayArg] = process.argv.slice(2);
if (!url || !category || !outPath || !expectedArg)
  throw new Error('usage: checkpointed-subscriber <url> <category> <out.db> <expected> [delay-ms]');
const delayMs = Number(delayArg ?? 0);

const out = new Database(outPath);
out.pragma('journal_mode = WAL');
out.exec('CREATE TABLE IF NOT EXISTS seen (position INTEGER NOT NULL, id TEXT NOT NULL)');
out.exec('CREATE TABLE IF NOT EXISTS checkpoint (position INTEGER NOT NULL)');
const checkpoint = (out.prepare('SELECT position FROM checkpoint').pluck().get() as number | undefined) ?? 'start';
const record = out.transaction((position: number, id: string) => {
  out.prepare('INSERT INTO seen (position, id) VALUES (?, ?)').run(position, id);
  out.prepare('DELETE FROM checkpoint').run();
  out.prepare('INSERT INTO checkpoint (position) VALUES (?)').run(position);
});
const count = () => out.prepare('SELECT count(*) FROM seen').pluck().get() as number;

const store = await openEventStore(url);
const subscription = store.subscribe({ from: checkpoint, filter: { categories: [category] } });
process.stdout.write(`subscribed from ${checkpoint}\n`);
if (count() >= Number(expectedArg)) await subscription.close();
for await (const event of subscription) {
  record(event.position, event.id);
  if (count() >= Number(expectedArg)) break;
  if (delayMs > 0) await sleep(delayMs);
}
await subscription.close();
await store.close();
out.close();
