// One group of a parallel rebuild, on its own thread with its own store connections.
import { parentPort, workerData } from 'node:worker_threads';
import { createMemoryCheckpointStore, openEventStore, openViewStore } from '@marquee/platform';
import { allProjections } from '@marquee/read-models';
import type { WorkerMessage, WorkerTask } from './parallel-rebuild';
import { runProjections } from './run-projections';

const task = workerData as WorkerTask;
const send = (message: WorkerMessage) => parentPort?.postMessage(message);
// Stopped by a message, not terminated: it closes its stores first, so no write is left open.
const stop = new AbortController();
parentPort?.on('message', (message) => {
  if (message === 'stop') stop.abort();
});

try {
  const eventStore = await openEventStore(task.urls.eventStore);
  const viewStore = await openViewStore(task.urls.viewStore);
  // The rebuild saves the generations' checkpoints itself once every group is done.
  const checkpoints = createMemoryCheckpointStore();
  try {
    const targets = task.targets.map(({ projection, collection }) => {
      const found = allProjections.find((p) => p.name === projection);
      if (!found) throw new Error(`No projection named ${projection}.`);
      return { projection: found, collection };
    });
    const { position } = await runProjections({
      eventStore,
      viewStore,
      checkpoints,
      targets,
      catchUpBatch: task.catchUpBatch,
      signal: stop.signal,
      onProgress: (progress) => send({ kind: 'progress', progress }),
    });
    send({ kind: 'done', position });
  } finally {
    await eventStore.close();
    await viewStore.close();
    await checkpoints.close();
  }
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
} finally {
  parentPort?.close();
}
