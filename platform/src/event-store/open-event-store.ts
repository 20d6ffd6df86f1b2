import { pathInStoreUrl, withoutPassword } from '../store-url';
import type { EsdbEventStoreOptions } from './esdb-event-store';
import type { EventStore } from './event-store';
import { openSqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

export class InvalidEventStoreUrl extends Error {
  constructor(url: string, why: string) {
    super(
      `EVENT_STORE_URL "${withoutPassword(url)}" is not usable: ${why}. Use sqlite:<file> (for example sqlite:./data/events.db) or esdb://<host>:<port>?tls=false.`,
    );
    this.name = 'InvalidEventStoreUrl';
  }
}

/**
 * Picks the adapter by URL: `sqlite:<path>` (embedded) or `esdb://…` / `esdb+discover://…`
 * (EventStoreDB, whose gRPC client is loaded only when it is used).
 */
export const openEventStore = async (
  url: string,
  options: SqliteEventStoreOptions & EsdbEventStoreOptions = {},
): Promise<EventStore> => {
  if (url.startsWith('sqlite:')) {
    const path = pathInStoreUrl(url, 'sqlite:');
    if (path === '') throw new InvalidEventStoreUrl(url, 'it names no database file');
    const { duplicateScanWindow: _, ...sqliteOptions } = options;
    return openSqliteEventStore(path, sqliteOptions);
  }
  if (url.startsWith('esdb://') || url.startsWith('esdb+discover://')) {
    try {
      new URL(url.replace(/^esdb(\+discover)?:/, 'http:'));
    } catch {
      throw new InvalidEventStoreUrl(url, 'it is not a well-formed connection string');
    }
    const { openEsdbEventStore } = await import('./esdb-event-store');
    return openEsdbEventStore(
      url,
      options.duplicateScanWindow === undefined ? {} : { duplicateScanWindow: options.duplicateScanWindow },
    );
  }
  throw new InvalidEventStoreUrl(url, `the scheme "${url.split(':')[0]}" is not one Marquee knows`);
};
