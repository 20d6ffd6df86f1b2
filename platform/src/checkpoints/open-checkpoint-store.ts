import { pathInStoreUrl } from '../store-url';
import type { CheckpointStore, CheckpointStoreOptions } from './checkpoint-store';
import { openFileCheckpointStore } from './file-checkpoint-store';
import { openSqliteCheckpointStore } from './sqlite-checkpoint-store';

export class InvalidCheckpointStoreUrl extends Error {
  constructor(url: string, why: string) {
    super(
      `The checkpoint store URL "${url}" is not usable: ${why}. Use sqlite:<file> (for example sqlite:./data/views.db), mongodb://<host>:<port>/<database> or file:<folder>.`,
    );
    this.name = 'InvalidCheckpointStoreUrl';
  }
}

/**
 * Picks the adapter by URL, as `openViewStore` does: `sqlite:<path>` (embedded; the views
 * database serves), `mongodb://…` / `mongodb+srv://…`, or `file:<folder>` (a host's own disk).
 */
export const openCheckpointStore = async (
  url: string,
  options: CheckpointStoreOptions = {},
): Promise<CheckpointStore> => {
  const pathAfter = (scheme: string) => {
    const path = pathInStoreUrl(url, scheme);
    if (path === '') throw new InvalidCheckpointStoreUrl(url, `it names no ${scheme === 'file:' ? 'folder' : 'file'}`);
    return path;
  };
  if (url.startsWith('sqlite:')) return openSqliteCheckpointStore(pathAfter('sqlite:'), options);
  if (url.startsWith('file:')) return openFileCheckpointStore(pathAfter('file:'), options);
  if (url.startsWith('mongodb://') || url.startsWith('mongodb+srv://')) {
    const { openMongoCheckpointStore } = await import('./mongo-checkpoint-store');
    return openMongoCheckpointStore(url, options);
  }
  throw new InvalidCheckpointStoreUrl(url, `the scheme "${url.split(':')[0]}" is not one Marquee knows`);
};
