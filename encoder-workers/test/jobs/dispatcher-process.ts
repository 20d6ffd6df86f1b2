// A dispatcher in a process of its own, so a test can kill it with SIGKILL at any moment:
//   dispatcher-process <event-store-url> <checkpoint-store-url> <redis-url> <queue-prefix>
import { openCheckpointStore, openEncodeQueue, openEventStore } from '@marquee/platform';
import { runDispatcher } from '../../src/jobs/dispatcher';

const [eventStoreUrl, checkpointStoreUrl, redisUrl, prefix] = process.argv.slice(2) as [string, string, string, string];
await runDispatcher({
  eventStore: await openEventStore(eventStoreUrl),
  checkpoints: await openCheckpointStore(checkpointStoreUrl),
  queue: openEncodeQueue(redisUrl, prefix),
  redisUrl,
  settings: { attempts: 1, backoffMs: 100 },
  reconcileIntervalMs: 200,
  onDispatched: (position) => process.stdout.write(`dispatched ${position}\n`),
  onReconciled: (outcome) => process.stdout.write(`reconciled ${JSON.stringify(outcome)}\n`),
});
