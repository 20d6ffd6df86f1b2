// Appends events to its own streams and prints one line per acknowledged append, for the
// contract suite's multi-process and crash tests:
//   append-worker <store-url> <category> <worker-id> <count | forever> [concurrency]
import { randomUUID } from 'node:crypto';
import { openEventStore } from '../../src';
import { payloadFor } from './payload';

const [url, category, workerId, countArg, concurrencyArg] = process.argv.slice(2);
if (!url || !category || !workerId || !countArg)
  throw new Error('usage: append-worker <url> <category> <worker-id> <count|forever> [concurrency]');
const total = countArg === 'forever' ? Number.POSITIVE_INFINITY : Number(countArg);
const concurrency = Number(concurrencyArg ?? 1);
const store = await openEventStore(url);

let next = 0;
const lane = async (laneId: number) => {
  const streamName = `${category}-${workerId}.${laneId}`;
  let revision: number | 'no_stream' = 'no_stream';
  while (next < total) {
    const n = next++;
    const id = randomUUID();
    const result = await store.appendToStream(streamName, [{ id, type: 'Counted', data: payloadFor(n) }], {
      expectedRevision: revision,
    });
    revision = result.nextExpectedRevision;
    process.stdout.write(`ack ${id} ${streamName} ${result.nextExpectedRevision} ${result.position} ${n}\n`);
  }
};
await Promise.all(Array.from({ length: concurrency }, (_, i) => lane(i)));
await store.close();
