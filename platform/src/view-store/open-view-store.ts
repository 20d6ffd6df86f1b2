import { pathInStoreUrl, withoutPassword } from '../store-url';
import { openSqliteViewStore } from './sqlite-view-store';
import type { ViewStore } from './view-store';

export class InvalidViewStoreUrl extends Error {
  constructor(url: string, why: string) {
    super(
      `VIEW_STORE_URL "${withoutPassword(url)}" is not usable: ${why}. Use sqlite:<file> (for example sqlite:./data/views.db) or mongodb://<host>:<port>/<database>.`,
    );
    this.name = 'InvalidViewStoreUrl';
  }
}

/**
 * Picks the adapter by URL: `sqlite:<path>` (embedded) or `mongodb://…` / `mongodb+srv://…`
 * (MongoDB, whose driver is loaded only when it is used).
 */
export const openViewStore = async (url: string): Promise<ViewStore> => {
  if (url.startsWith('sqlite:')) {
    const path = pathInStoreUrl(url, 'sqlite:');
    if (path === '') throw new InvalidViewStoreUrl(url, 'it names no database file');
    return openSqliteViewStore(path);
  }
  if (url.startsWith('mongodb://') || url.startsWith('mongodb+srv://')) {
    const { openMongoViewStore } = await import('./mongo-view-store');
    return openMongoViewStore(url);
  }
  throw new InvalidViewStoreUrl(url, `the scheme "${url.split(':')[0]}" is not one Marquee knows`);
};
