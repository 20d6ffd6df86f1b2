import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointStore, type CheckpointStoreOptions, InvalidCheckpointId } from '../src';

/** The behaviour every checkpoint store adapter must have; each test uses ids made up for it. */
export const checkpointStoreContract = (
  adapter: string,
  open: (options: CheckpointStoreOptions) => Promise<CheckpointStore>,
  options: { skip?: boolean; oneProcessOnly?: boolean } = {},
) => {
  describe.skipIf(options.skip)(`${adapter} checkpoint store contract`, () => {
    const opened: CheckpointStore[] = [];
    const clock = { now: new Date('2026-01-02T03:04:05.000Z') };
    const store = async () => {
      const s = await open({ now: () => clock.now });
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    const newId = () => `reaction-${randomUUID().slice(0, 8)}`;

    it('knows no checkpoint it was never given', async () => {
      const s = await store();
      expect(await s.load(newId())).toBeUndefined();
    });
    it('saves a position, stamped with the injected clock', async () => {
      const s = await store();
      const id = newId();
      await s.save(id, 42);
      expect(await s.load(id)).toEqual({ id, position: 42, updatedAt: clock.now });
    });
    it('keeps a JSON state with its position, and replaces both together', async () => {
      const s = await store();
      const id = newId();
      const state = { pending: [{ titleId: 't1', encodingId: 'e1' }], withdrawn: ['t2/e2'], version: 3 };
      await s.save(id, 7, state);
      expect(await s.load(id)).toMatchObject({ id, position: 7, state });
      clock.now = new Date('2026-01-02T03:05:00.000Z');
      await s.save(id, 9, { pending: [] });
      expect(await s.load(id)).toEqual({ id, position: 9, state: { pending: [] }, updatedAt: clock.now });
      await s.save(id, 10);
      expect(await s.load(id)).toEqual({ id, position: 10, updatedAt: clock.now });
    });
    it('keeps each id apart and deletes one', async () => {
      const s = await store();
      const [a, b] = [newId(), newId()];
      await s.save(a, 1, { name: 'a' });
      await s.save(b, 2, { name: 'b' });
      await s.delete(a);
      expect(await s.load(a)).toBeUndefined();
      expect(await s.load(b)).toMatchObject({ position: 2, state: { name: 'b' } });
      await s.delete(a);
      await s.save(a, 3);
      expect((await s.load(a))?.position).toBe(3);
    });
    it('ends with the last of many saves not awaited one by one', async () => {
      const s = await store();
      const id = newId();
      await Promise.all(Array.from({ length: 30 }, (_, i) => s.save(id, i + 1, { i })));
      expect(await s.load(id)).toMatchObject({ position: 30, state: { i: 29 } });
    });
    it('refuses an id that could name something else', async () => {
      const s = await store();
      for (const id of ['', '../escape', 'a/b', '.hidden'])
        await expect(s.save(id, 1)).rejects.toThrow(InvalidCheckpointId);
    });
    it.skipIf(options.oneProcessOnly)('is seen by another connection, as a restarted process sees it', async () => {
      const writer = await store();
      const id = newId();
      await writer.save(id, 5, { note: 'kept' });
      await writer.close();
      opened.splice(opened.indexOf(writer), 1);
      const reader = await store();
      expect(await reader.load(id)).toMatchObject({ position: 5, state: { note: 'kept' } });
    });
  });
};
