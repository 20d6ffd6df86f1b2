import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  assertCheckpointId,
  type Checkpoint,
  type CheckpointState,
  type CheckpointStore,
  type CheckpointStoreOptions,
  checkpointOf,
} from './checkpoint-store';

/*
 * One table, `_checkpoints` (id, position, state JSON, updated_at). Embedded, it lives in the
 * views database file, where the projections' checkpoints always were: a database made before
 * checkpoints had their own port kept a projection's version in a column, which becomes its state.
 */

const migrateVersionColumn = (db: Database.Database) =>
  db
    .transaction(() => {
      const columns = (db.prepare('PRAGMA table_info(_checkpoints)').all() as { name: string }[]).map((c) => c.name);
      if (!columns.includes('version')) return;
      db.exec(`
      ALTER TABLE _checkpoints ADD COLUMN state TEXT;
      UPDATE _checkpoints SET state = json_object('version', version);
      ALTER TABLE _checkpoints DROP COLUMN version;
    `);
    })
    .immediate();

export const openSqliteCheckpointStore = (path: string, options: CheckpointStoreOptions = {}): CheckpointStore => {
  const now = options.now ?? (() => new Date());
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  // As the views beside them: a power cut may cost the last saves, and every reaction is idempotent.
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS _checkpoints (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, state TEXT, updated_at INTEGER NOT NULL
  )`);
  migrateVersionColumn(db);

  const select = db.prepare('SELECT position, state, updated_at FROM _checkpoints WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO _checkpoints (id, position, state, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET position = excluded.position, state = excluded.state, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM _checkpoints WHERE id = ?');

  return {
    load: async <State extends CheckpointState>(id: string): Promise<Checkpoint<State> | undefined> => {
      const row = select.get(id) as { position: number; state: string | null; updated_at: number } | undefined;
      if (!row) return undefined;
      const state = row.state === null ? undefined : (JSON.parse(row.state) as State);
      return checkpointOf(id, row.position, state, new Date(row.updated_at));
    },
    save: async (id, position, state) => {
      assertCheckpointId(id);
      upsert.run(id, position, state === undefined ? null : JSON.stringify(state), now().getTime());
    },
    delete: async (id) => {
      remove.run(id);
    },
    close: async () => {
      db.close();
    },
  };
};
