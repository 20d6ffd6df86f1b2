import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createMemoryCheckpointStore, InvalidCheckpointStoreUrl, openCheckpointStore } from '../src';
import { checkpointStoreContract } from './checkpoint-store.contract';

const temporary = () => mkdtempSync(join(tmpdir(), 'marquee-checkpoints-'));

const sqliteUrl = `sqlite:${join(temporary(), 'views.db')}`;
checkpointStoreContract('SQLite', (options) => openCheckpointStore(sqliteUrl, options));

const fileUrl = `file:${join(temporary(), 'checkpoints')}`;
checkpointStoreContract('file', (options) => openCheckpointStore(fileUrl, options));

checkpointStoreContract('in-memory', async (options) => createMemoryCheckpointStore(options), {
  oneProcessOnly: true,
});

// No MongoDB server can run on the build machines, so this suite is skipped (and reported)
// there. `docker compose up -d mongodb` then
// `MONGO_URL='mongodb://localhost:27017/marquee_test?directConnection=true' npm test` runs it.
const mongoUrl = process.env.MONGO_URL ?? '';
checkpointStoreContract('MongoDB', (options) => openCheckpointStore(mongoUrl, options), { skip: mongoUrl === '' });

describe('the SQLite checkpoint store', () => {
  it('carries over the checkpoints a views database kept before, the version as state', async () => {
    const path = join(temporary(), 'views.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE _checkpoints (
      id TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL
    )`);
    old.prepare('INSERT INTO _checkpoints VALUES (?, ?, ?, ?)').run('catalog__v3_1', 120, 3, 1_700_000_000_000);
    old.close();
    const store = await openCheckpointStore(`sqlite:${path}`);
    expect(await store.load('catalog__v3_1')).toEqual({
      id: 'catalog__v3_1',
      position: 120,
      state: { version: 3 },
      updatedAt: new Date(1_700_000_000_000),
    });
    await store.save('catalog__v3_1', 121, { version: 3 });
    await store.close();
    const again = await openCheckpointStore(`sqlite:${path}`);
    expect((await again.load('catalog__v3_1'))?.position).toBe(121);
    await again.close();
  });
});

describe('the file checkpoint store', () => {
  it('leaves only the checkpoint file in its folder, as readable JSON', async () => {
    const dir = join(temporary(), 'edge');
    const store = await openCheckpointStore(`file:${dir}`);
    await store.save('fill-agent', 3, { pending: [] });
    await store.close();
    expect(readdirSync(dir)).toEqual(['fill-agent.checkpoint.json']);
    expect(JSON.parse(readFileSync(join(dir, 'fill-agent.checkpoint.json'), 'utf8'))).toMatchObject({
      position: 3,
      state: { pending: [] },
    });
  });
  it('says which file is unreadable rather than starting over silently', async () => {
    const dir = temporary();
    writeFileSync(join(dir, 'x.checkpoint.json'), '{"position":');
    const store = await openCheckpointStore(`file:${dir}`);
    await expect(store.load('x')).rejects.toThrow(/x\.checkpoint\.json.*remove it/);
    await store.close();
  });
});

it.each(['redis://x', 'sqlite:', 'file:', 'views.db'])(
  'refuses the checkpoint store URL %s with a message that says what to use',
  async (url) => {
    const error = await openCheckpointStore(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCheckpointStoreUrl);
    expect((error as Error).message).toMatch(/sqlite:\.\/data\/views\.db/);
  },
);
