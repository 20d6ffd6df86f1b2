import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollectionSpec, InvalidViewQuery, UnknownCollection, type ViewDoc, type ViewStore } from '../src';

/** The behaviour every view store adapter must have; each test uses collections made up for it. */
export const viewStoreContract = (
  adapter: string,
  open: () => Promise<ViewStore>,
  options: { skip?: boolean } = {},
) => {
  describe.skipIf(options.skip)(`${adapter} view store contract`, () => {
    const opened: ViewStore[] = [];
    const store = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    const newName = () => `t${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const spec: CollectionSpec = {
      indexes: { published: 'value', genres: 'array', year: 'value' },
      sortFields: ['popularity', 'name'],
      textField: 'name',
    };
    type Title = { name: string; genres: string[]; published: boolean; popularity: number; year: number };
    const titles: ViewDoc<Title>[] = [
      ['a', 'Amélie', ['comedy', 'romance'], true, 50, 2001],
      ['b', 'Blade Runner', ['scifi', 'noir'], true, 90, 1982],
      ['c', 'Casablanca', ['romance', 'drama'], true, 70, 1942],
      ['d', 'Dune', ['scifi'], false, 95, 2021],
      ['e', 'Eraserhead', ['horror'], true, 10, 1977],
      ['f', 'Fargo', ['crime', 'comedy'], true, 70, 1996],
    ].map(([id, name, genres, published, popularity, year], i) => ({
      id: id as string,
      position: i + 1,
      body: { name, genres, published, popularity, year } as Title,
    }));
    const seeded = async () => {
      const s = await store();
      const name = newName();
      await s.ensureCollection(name, spec);
      await s.writeBatch([{ collection: name, upserts: titles, deletes: [] }]);
      return { s, name };
    };
    const ids = (docs: ViewDoc[]) => docs.map((d) => d.id);

    it('gets documents by id, with the position of the last event applied', async () => {
      const { s, name } = await seeded();
      expect(await s.get(name, 'b')).toEqual(titles[1]);
      expect(await s.get(name, 'zzz')).toBeUndefined();
      const many = await s.getMany(name, ['a', 'c', 'nope']);
      expect([...many.keys()].sort()).toEqual(['a', 'c']);
      expect(many.get('c')).toEqual(titles[2]);
    });
    it('filters by equality, including "array contains", and counts', async () => {
      const { s, name } = await seeded();
      const romance = await s.find(name, { where: { genres: 'romance' }, limit: 10 });
      expect(ids(romance.items)).toEqual(['a', 'c']);
      const publishedScifi = await s.find(name, { where: { genres: 'scifi', published: true }, limit: 10 });
      expect(ids(publishedScifi.items)).toEqual(['b']);
      expect(ids((await s.find(name, { where: { year: 1996 }, limit: 10 })).items)).toEqual(['f']);
      expect(await s.count(name, { published: true })).toBe(5);
      expect(await s.count(name)).toBe(6);
    });
    it('sorts both ways and pages with a cursor, ties broken by id in the same direction', async () => {
      const { s, name } = await seeded();
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const result = await s.find(name, { sort: { field: 'popularity', direction: 'desc' }, limit: 2, cursor });
        seen.push(...ids(result.items));
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(['d', 'b', 'f', 'c', 'a', 'e']);
      const asc = await s.find(name, {
        where: { published: true },
        sort: { field: 'name', direction: 'asc' },
        limit: 3,
      });
      expect(ids(asc.items)).toEqual(['a', 'b', 'c']);
      const rest = await s.find(name, {
        where: { published: true },
        sort: { field: 'name', direction: 'asc' },
        limit: 3,
        cursor: asc.nextCursor ?? '',
      });
      expect(ids(rest.items)).toEqual(['e', 'f']);
      expect(rest.nextCursor).toBeNull();
    });
    it('pages by every sortable type, booleans too: each cursor comes back as it went out', async () => {
      const s = await store();
      const name = newName();
      await s.ensureCollection(name, { sortFields: ['flag', 'score', 'label'] });
      const rows: [string, boolean, number, string][] = [
        ['a', true, 2.5, 'b'],
        ['b', false, -1, 'a'],
        ['c', true, 0, 'c'],
        ['d', false, 10, 'é'],
        ['e', true, 2.5, 'a'],
      ];
      await s.writeBatch([
        {
          collection: name,
          upserts: rows.map(([id, flag, score, label], i) => ({ id, position: i + 1, body: { flag, score, label } })),
          deletes: [],
        },
      ]);
      const pageThrough = async (field: string, direction: 'asc' | 'desc') => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await s.find(name, { sort: { field, direction }, limit: 1, ...(cursor && { cursor }) });
          seen.push(...ids(result.items));
          if (!result.nextCursor) break;
          cursor = result.nextCursor;
        }
        return seen;
      };
      expect(await pageThrough('flag', 'asc')).toEqual(['b', 'd', 'a', 'c', 'e']);
      expect(await pageThrough('flag', 'desc')).toEqual(['e', 'c', 'a', 'd', 'b']);
      expect(await pageThrough('score', 'asc')).toEqual(['b', 'c', 'a', 'e', 'd']);
      expect(await pageThrough('label', 'desc')).toEqual(['d', 'c', 'a', 'e', 'b']);
    });
    it('searches the text field by case-insensitive substring', async () => {
      const { s, name } = await seeded();
      expect(ids((await s.find(name, { search: 'RUN', limit: 10 })).items)).toEqual(['b']);
      expect(ids((await s.find(name, { search: 'am', limit: 10 })).items)).toEqual(['a']);
      expect(ids((await s.find(name, { search: 'a', where: { genres: 'comedy' }, limit: 10 })).items)).toEqual([
        'a',
        'f',
      ]);
      expect(ids((await s.find(name, { search: 'AMÉ', limit: 10 })).items)).toEqual(['a']);
      expect(ids((await s.find(name, { search: '%', limit: 10 })).items)).toEqual([]);
    });
    it('refuses undeclared fields, bad limits and foreign cursors with a clear error', async () => {
      const { s, name } = await seeded();
      await expect(s.find(name, { where: { name: 'Dune' }, limit: 1 })).rejects.toThrow(InvalidViewQuery);
      await expect(s.find(name, { sort: { field: 'year', direction: 'asc' }, limit: 1 })).rejects.toThrow(
        /sortable fields/,
      );
      await expect(s.find(name, { limit: 0 })).rejects.toThrow(/limit/);
      await expect(s.find(name, { limit: 1, cursor: 'garbage' })).rejects.toThrow(/cursor/);
      for (const forged of [
        [{}, 'x'],
        [[1], 'x'],
        ['x', 5],
        ['a', 'b', 'c'],
      ])
        await expect(
          s.find(name, {
            sort: { field: 'popularity', direction: 'asc' },
            limit: 1,
            cursor: Buffer.from(JSON.stringify(forged)).toString('base64url'),
          }),
        ).rejects.toThrow(InvalidViewQuery);
      await expect(s.find(newName(), { limit: 1 })).rejects.toThrow(UnknownCollection);
    });
    it('writes a batch all or nothing', async () => {
      const { s, name } = await seeded();
      const updated = {
        ...titles[0],
        position: 10,
        body: { ...(titles[0] as ViewDoc<Title>).body, genres: ['drama'] },
      } as ViewDoc;
      await s.writeBatch([{ collection: name, upserts: [updated], deletes: ['e'] }]);
      expect((await s.get(name, 'a'))?.position).toBe(10);
      expect(await s.get(name, 'e')).toBeUndefined();
      expect(ids((await s.find(name, { where: { genres: 'comedy' }, limit: 10 })).items)).toEqual(['f']);
      const failing = s.writeBatch([
        { collection: name, upserts: [{ id: 'x', position: 11, body: { name: 'X' } }], deletes: [] },
        { collection: newName(), upserts: [{ id: 'y', position: 11, body: {} }], deletes: [] },
      ]);
      await expect(failing).rejects.toThrow();
      expect(await s.get(name, 'x')).toBeUndefined();
    });
    it('swaps aliases atomically and drops collections', async () => {
      const { s, name } = await seeded();
      const other = newName();
      await s.ensureCollection(other, spec);
      const alias = newName();
      await s.setAliases([{ alias, collection: name }]);
      expect(await s.resolveAlias(alias)).toBe(name);
      await s.setAliases([{ alias, collection: other }]);
      expect(await s.resolveAlias(alias)).toBe(other);
      expect(await s.listAliases()).toContainEqual({ alias, collection: other });
      expect(await s.listCollections()).toEqual(expect.arrayContaining([name, other]));
      await s.dropCollection(name);
      expect(await s.listCollections()).not.toContain(name);
      await expect(s.get(name, 'a')).rejects.toThrow(UnknownCollection);
    });
    it('keeps a collection spec: ensuring it again is fine, a different spec is refused', async () => {
      const { s, name } = await seeded();
      await s.ensureCollection(name, spec);
      await expect(s.ensureCollection(name, { sortFields: ['year'] })).rejects.toThrow(/another spec/);
      expect(await s.count(name)).toBe(6);
    });
    it('is seen by another connection, as the query API sees what the runner writes', async () => {
      const { s, name } = await seeded();
      const reader = await store();
      await s.writeBatch([
        {
          collection: name,
          upserts: [
            {
              id: 'g',
              position: 20,
              body: { name: 'Gattaca', genres: [], published: true, popularity: 1, year: 1997 },
            },
          ],
          deletes: [],
        },
      ]);
      expect((await reader.get(name, 'g'))?.body).toMatchObject({ name: 'Gattaca' });
    });
  });
};
