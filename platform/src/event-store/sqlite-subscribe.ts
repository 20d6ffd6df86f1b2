import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent, SubscribeOptions, Subscription } from './event-store';
import { toRecorded } from './sqlite-database';
import type { SqliteReader } from './sqlite-read';

/**
 * The SQLite store's subscriptions: catch up page by page, then follow. Local subscribers wake
 * at once on `notifyAppended` (an append here); appends by other processes are polled.
 */
export const createSqliteSubscriptions = (
  reader: SqliteReader,
  options: { pageSize: number; pollIntervalMs: number },
) => {
  const { pageSize, pollIntervalMs } = options;
  let waiters: (() => void)[] = [];
  const notifyAppended = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const appendedOrTimeout = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollIntervalMs);
      signal.addEventListener('abort', done, { once: true });
      waiters.push(done);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        // An idle subscriber polls for ever: each wait must leave nothing behind.
        const index = waiters.indexOf(done);
        if (index !== -1) waiters.splice(index, 1);
        resolve();
      }
    });

  const subscriptions = new Set<AbortController>();
  const subscribe = (subscribeOptions: SubscribeOptions = {}): Subscription => {
    const stop = new AbortController();
    subscriptions.add(stop);
    stop.signal.addEventListener('abort', () => subscriptions.delete(stop), { once: true });
    const from = subscribeOptions.from ?? 'start';
    async function* live(): AsyncGenerator<RecordedEvent> {
      let after = from === 'start' ? 0 : from === 'end' ? reader.headPosition() : from;
      while (!stop.signal.aborted) {
        let page: ReturnType<SqliteReader['readPage']>;
        try {
          page = reader.readPage(after, subscribeOptions.filter, pageSize);
        } catch (error) {
          // A locked or briefly unreadable file: wait and read again from the same place.
          if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('SQLITE_BUSY'))
            throw error;
          await sleep(pollIntervalMs * 5);
          continue;
        }
        for (const row of page.rows) {
          if (stop.signal.aborted) return;
          yield toRecorded(row);
        }
        if (page.scannedTo === after) await appendedOrTimeout(stop.signal);
        after = page.scannedTo;
      }
    }
    const iterator = live();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        stop.abort();
      },
    };
  };

  return {
    subscribe,
    notifyAppended,
    closeAll: () => {
      for (const subscription of subscriptions) subscription.abort();
    },
  };
};
