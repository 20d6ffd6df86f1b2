import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  assertCollectionName,
  assertQuery,
  assertSpec,
  type CollectionSpec,
  type CollectionWrite,
  decodeCursor,
  encodeCursor,
  type FieldValue,
  InvalidViewQuery,
  UnknownCollection,
  type ViewDoc,
  type ViewStore,
} from './view-store';

/*
 * Each collection is a table of (id, position, body JSON, search text). Indexed and sortable
 * fields are generated columns over the JSON with real indexes (one per filter × sort pair, so
 * a filtered, sorted page is an index range scan); an `array` field gets a side table of
 * (value, id), since a JSON array cannot be indexed in place.
 */

const table = (collection: string) => `"c_${collection}"`;
const sideTable = (collection: string, field: string) => `"c_${collection}__${field}"`;
const column = (field: string) => (field === 'id' ? 'id' : `"f_${field}"`);
const sqlValue = (value: FieldValue | null) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);
const searchText = (spec: CollectionSpec, body: Record<string, unknown>) => {
  const text = spec.textField ? body[spec.textField] : undefined;
  return typeof text === 'string' ? text.toLowerCase() : null;
};

type Collection = {
  spec: CollectionSpec;
  arrays: string[];
  upsert: Database.Statement;
  remove: Database.Statement;
  sideInserts: Map<string, Database.Statement>;
  sideDeletes: Map<string, Database.Statement>;
};

export const openSqliteViewStore = (path: string): ViewStore => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  // Views can always be rebuilt from the log, so a power cut may cost the last batches, not more.
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS _aliases (alias TEXT PRIMARY KEY, collection TEXT NOT NULL);
  `);

  const statements = new Map<string, Database.Statement>();
  /** Statements are prepared once per SQL text: preparing costs more than most reads here. */
  const statement = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };

  const collections = new Map<string, Collection>();
  const prepare = (name: string, spec: CollectionSpec): Collection => {
    const arrays = Object.entries(spec.indexes ?? {})
      .filter(([, kind]) => kind === 'array')
      .map(([field]) => field);
    return {
      spec,
      arrays,
      upsert: db.prepare(
        `INSERT INTO ${table(name)} (id, position, body, search) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, body = excluded.body, search = excluded.search`,
      ),
      remove: db.prepare(`DELETE FROM ${table(name)} WHERE id = ?`),
      sideInserts: new Map(
        arrays.map((f) => [f, db.prepare(`INSERT OR IGNORE INTO ${sideTable(name, f)} (value, id) VALUES (?, ?)`)]),
      ),
      sideDeletes: new Map(arrays.map((f) => [f, db.prepare(`DELETE FROM ${sideTable(name, f)} WHERE id = ?`)])),
    };
  };

  const collection = (name: string): Collection => {
    const known = collections.get(name);
    if (known) return known;
    const row = statement('SELECT spec FROM _collections WHERE name = ?').pluck().get(name) as string | undefined;
    if (!row) throw new UnknownCollection(name);
    const prepared = prepare(name, JSON.parse(row));
    collections.set(name, prepared);
    return prepared;
  };

  const createCollection = db.transaction((name: string, spec: CollectionSpec) => {
    const values = Object.entries(spec.indexes ?? {})
      .filter(([, kind]) => kind === 'value')
      .map(([field]) => field);
    const sorts = spec.sortFields ?? [];
    const generated = [...new Set([...values, ...sorts])].map(
      (field) => `${column(field)} GENERATED ALWAYS AS (coalesce(json_extract(body, '$.${field}'), '')) VIRTUAL`,
    );
    db.exec(
      `CREATE TABLE ${table(name)} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL, search TEXT${generated.map((g) => `, ${g}`).join('')})`,
    );
    const index = (suffix: string, columns: string[]) =>
      db.exec(`CREATE INDEX "c_${name}_${suffix}" ON ${table(name)} (${columns.join(', ')})`);
    for (const field of values) index(`v_${field}`, [column(field), 'id']);
    for (const field of sorts) index(`s_${field}`, [column(field), 'id']);
    for (const value of values)
      for (const sort of sorts) if (sort !== value) index(`v_${value}_s_${sort}`, [column(value), column(sort), 'id']);
    for (const [field, kind] of Object.entries(spec.indexes ?? {}))
      if (kind === 'array') {
        db.exec(
          `CREATE TABLE ${sideTable(name, field)} (value, id TEXT NOT NULL, PRIMARY KEY (value, id)) WITHOUT ROWID`,
        );
        db.exec(`CREATE INDEX "c_${name}__${field}_id" ON ${sideTable(name, field)} (id)`);
      }
    statement('INSERT INTO _collections (name, spec) VALUES (?, ?)').run(name, JSON.stringify(spec));
  });

  const dropCollection = db.transaction((name: string) => {
    const row = statement('SELECT spec FROM _collections WHERE name = ?').pluck().get(name) as string | undefined;
    if (!row) return;
    const spec = JSON.parse(row) as CollectionSpec;
    for (const [field, kind] of Object.entries(spec.indexes ?? {}))
      if (kind === 'array') db.exec(`DROP TABLE IF EXISTS ${sideTable(name, field)}`);
    db.exec(`DROP TABLE IF EXISTS ${table(name)}`);
    statement('DELETE FROM _collections WHERE name = ?').run(name);
    collections.delete(name);
  });

  const writeDoc = (target: Collection, doc: ViewDoc) => {
    target.upsert.run(doc.id, doc.position, JSON.stringify(doc.body), searchText(target.spec, doc.body));
    for (const field of target.arrays) {
      (target.sideDeletes.get(field) as Database.Statement).run(doc.id);
      const values = doc.body[field];
      if (!Array.isArray(values)) continue;
      const insert = target.sideInserts.get(field) as Database.Statement;
      for (const value of values)
        if (['string', 'number', 'boolean'].includes(typeof value)) insert.run(sqlValue(value as FieldValue), doc.id);
    }
  };

  const writeBatch = db.transaction((writes: readonly CollectionWrite[]) => {
    for (const write of writes) {
      const target = collection(write.collection);
      for (const doc of write.upserts) writeDoc(target, doc);
      for (const id of write.deletes) {
        target.remove.run(id);
        for (const field of target.arrays) (target.sideDeletes.get(field) as Database.Statement).run(id);
      }
    }
  });

  const asViewDoc = <Body>(row: { id: string; position: number; body: string }): ViewDoc<Body> => ({
    id: row.id,
    position: row.position,
    body: JSON.parse(row.body),
  });

  const whereClauses = (name: string, spec: CollectionSpec, where: Record<string, FieldValue>) => {
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const [field, value] of Object.entries(where)) {
      if (spec.indexes?.[field] === 'array')
        clauses.push(`id IN (SELECT id FROM ${sideTable(name, field)} WHERE value = ?)`);
      else clauses.push(`${column(field)} = ?`);
      params.push(sqlValue(value));
    }
    return { clauses, params };
  };

  return {
    ensureCollection: async (name, spec) => {
      assertCollectionName(name);
      assertSpec(spec);
      const row = statement('SELECT spec FROM _collections WHERE name = ?').pluck().get(name) as string | undefined;
      if (row === undefined) createCollection(name, spec);
      else if (row !== JSON.stringify(spec))
        throw new InvalidViewQuery(`Collection ${name} exists with another spec; build a new collection instead.`);
    },
    dropCollection: async (name) => dropCollection(name),
    listCollections: async () => statement('SELECT name FROM _collections ORDER BY name').pluck().all() as string[],
    get: async (name, id) => {
      collection(name);
      const row = statement(`SELECT id, position, body FROM ${table(name)} WHERE id = ?`).get(id);
      return row ? asViewDoc(row as { id: string; position: number; body: string }) : undefined;
    },
    getMany: async (name, ids) => {
      collection(name);
      const found = new Map();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = statement(
          `SELECT id, position, body FROM ${table(name)} WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        ).all(...chunk) as { id: string; position: number; body: string }[];
        for (const row of rows) found.set(row.id, asViewDoc(row));
      }
      return found;
    },
    find: async (name, query) => {
      const { spec } = collection(name);
      assertQuery(name, spec, query);
      const { clauses, params } = whereClauses(name, spec, query.where ?? {});
      if (query.search !== undefined && query.search !== '') {
        clauses.push('instr(search, ?) > 0');
        params.push(query.search.toLowerCase());
      }
      const sort = query.sort ?? { field: 'id', direction: 'asc' };
      const sortColumn = column(sort.field);
      const [before, after] = sort.direction === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
      if (query.cursor) {
        const [value, id] = decodeCursor(query.cursor);
        if (sort.field === 'id') {
          clauses.push(`id ${before} ?`);
          params.push(id);
        } else {
          clauses.push(`(${sortColumn} ${before} ? OR (${sortColumn} = ? AND id ${before} ?))`);
          params.push(sqlValue(value), sqlValue(value), id);
        }
      }
      const sql = `SELECT id, position, body${sort.field === 'id' ? '' : `, ${sortColumn} AS sortValue`} FROM ${table(name)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY ${sort.field === 'id' ? '' : `${sortColumn} ${after}, `}id ${after} LIMIT ?`;
      const rows = statement(sql).all(...params, query.limit + 1) as {
        id: string;
        position: number;
        body: string;
        sortValue?: FieldValue;
      }[];
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const last = page.at(-1);
      return {
        items: page.map((row) => asViewDoc(row)),
        nextCursor: more && last ? encodeCursor(last.sortValue ?? last.id, last.id) : null,
      };
    },
    count: async (name, where = {}) => {
      const { spec } = collection(name);
      assertQuery(name, spec, { where, limit: 1 });
      const { clauses, params } = whereClauses(name, spec, where);
      return statement(`SELECT count(*) FROM ${table(name)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`)
        .pluck()
        .get(...params) as number;
    },
    writeBatch: async (writes) => writeBatch(writes),
    resolveAlias: async (alias) =>
      statement('SELECT collection FROM _aliases WHERE alias = ?').pluck().get(alias) as string | undefined,
    setAliases: async (entries) =>
      db.transaction(() => {
        const upsert = statement(
          'INSERT INTO _aliases (alias, collection) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET collection = excluded.collection',
        );
        for (const { alias, collection: target } of entries) upsert.run(alias, target);
      })(),
    listAliases: async () =>
      statement('SELECT alias, collection FROM _aliases ORDER BY alias').all() as {
        alias: string;
        collection: string;
      }[],
    close: async () => {
      db.close();
    },
  };
};
