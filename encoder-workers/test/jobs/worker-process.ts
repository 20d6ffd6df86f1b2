// An encode worker in a process of its own, so a test can kill it with SIGKILL mid-encode:
//   worker-process <event-store-url> <redis-url> <queue-prefix> <origin-dir>
import { openEventStore } from '@marquee/platform';
import { startEncodeWorker } from '../../src/jobs/encode-worker';

const [eventStoreUrl, redisUrl, prefix, originDir] = process.argv.slice(2) as [string, string, string, string];
const eventStore = await openEventStore(eventStoreUrl);
const worker = startEncodeWorker(
  { redisUrl, originDir, prefix, concurrency: 1, lockDurationMs: 3000, stalledIntervalMs: 1000 },
  { eventStore },
);
worker.on('completed', (job) => process.stdout.write(`completed ${job.id}\n`));
await worker.waitUntilReady();
process.stdout.write('ready\n');
