import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { InvalidViewStoreUrl, openViewStore } from '../src';
import { viewStoreContract } from './view-store.contract';

const path = join(mkdtempSync(join(tmpdir(), 'marquee-views-')), 'views.db');
viewStoreContract('SQLite', () => openViewStore(`sqlite:${path}`));

it.each(['redis://x', 'sqlite:', 'views.db'])(
  'refuses the view store URL %s with a message that says what to use',
  async (url) => {
    const error = await openViewStore(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidViewStoreUrl);
    expect((error as Error).message).toMatch(/sqlite:\.\/data\/views\.db/);
  },
);

it('names a refused URL without its password', async () => {
  const error = await openViewStore('mongo://marquee:s3cret-pass@mongodb:27017/marquee').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidViewStoreUrl);
  expect((error as Error).message).toContain('mongo://marquee:***@mongodb:27017/marquee');
  expect((error as Error).message).not.toContain('s3cret-pass');
});
