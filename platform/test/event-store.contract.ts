import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EventStore,
  type EventToAppend,
  PartialDuplicateAppend,
  type RecordedEvent,
  VersionConflict,
} from '../src';
import { spawnTsx } from '../src/testing';
import { payloadFor, payloadIsIntact } from './processes/payload';

/**
 * The behaviour every event store adapter must have. `target()` gives a store URL and an
 * opener; tests keep to streams of a category made up for them, so a shared server works.
 */
export type ContractTarget = { url: string; open: () => Promise<EventStore> };

const event = (type = 'Something', data: Record<string, unknown> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { schemaVersion: 1 },
});
const collect = async (events: AsyncIterable<RecordedEvent>) => {
  const all: RecordedEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
};
const newCategory = () => `c${randomUUID().replaceAll('-', '').slice(0, 12)}`;

const processScript = (name: string) => fileURLToPath(new URL(`./processes/${name}.ts`, import.meta.url));

type RunningProcess = { child: ChildProcess; lines: string[]; exited: Promise<number | null> };
const running: RunningProcess[] = [];
const start = (script: string, args: string[]): RunningProcess => {
  const { child, lines, exited: exit } = spawnTsx(processScript(script), args);
  const exited = exit.then(({ code }) => {
    if (code !== 0 && code !== null) console.error(`${script} exited ${code}: ${lines.join('\n')}`);
    return code;
  });
  const handle = { child, lines, exited };
  running.push(handle);
  return handle;
};
const until = async (condition: () => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const acks = (lines: string[]) =>
  lines
    .filter((line) => line.startsWith('ack '))
    .map((line) => {
      const [, id, streamName, revision, position] = line.split(' ');
      return {
        id: id as string,
        streamName: streamName as string,
        revision: Number(revision),
        position: Number(position),
      };
    });

export const eventStoreContract = (adapter: string, target: () => ContractTarget, options: { skip?: boolean } = {}) => {
  describe.skipIf(options.skip)(`${adapter} event store contract`, () => {
    const opened: EventStore[] = [];
    const open = async (t: ContractTarget) => {
      const store = await t.open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      for (const store of opened.splice(0)) await store.close();
    });

    describe('expected revisions', () => {
      it('no_stream: creates a stream, and refuses when it exists', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        const first = await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        expect(first.nextExpectedRevision).toBe(0);
        const conflict = await store
          .appendToStream(stream, [event()], { expectedRevision: 'no_stream' })
          .catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(VersionConflict);
        expect((conflict as VersionConflict).actual).toBe(0);
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
      it('stream_exists: refuses an absent stream, appends to an existing one', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        await expect(store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' })).rejects.toThrow(
          VersionConflict,
        );
        expect(await collect(store.readStream(stream))).toHaveLength(0);
        await store.appendToStream(stream, [event()], { expectedRevision: 'any' });
        const result = await store.appendToStream(stream, [event(), event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(2);
      });
      it('an exact revision: appends when it matches, refuses with the actual revision when not', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });
        const ok = await store.appendToStream(stream, [event()], { expectedRevision: 1 });
        expect(ok.nextExpectedRevision).toBe(2);
        const conflict = await store
          .appendToStream(stream, [event()], { expectedRevision: 1 })
          .catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(VersionConflict);
        expect(conflict).toMatchObject({ streamName: stream, expected: 1, actual: 2 });
        await expect(store.appendToStream(`${stream}x`, [event()], { expectedRevision: 0 })).rejects.toThrow(
          VersionConflict,
        );
        expect((await collect(store.readStream(stream))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
      it('any: appends whatever the stream holds', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        await store.appendToStream(stream, [event()], { expectedRevision: 'any' });
        const result = await store.appendToStream(stream, [event()]);
        expect(result.nextExpectedRevision).toBe(1);
      });
    });

    describe('idempotent appends', () => {
      it('a retried append writes nothing and reports the original result', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        const batch = [event(), event()];
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [event()], { expectedRevision: 1 });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        const anyAgain = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
        expect(anyAgain).toEqual(first);
        expect(await collect(store.readStream(stream))).toHaveLength(3);
      });
      it('a retry that expects the current revision, after another append moved the stream, writes nothing', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        const batch = [event(), event()];
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [event()], { expectedRevision: 1 });
        const bystander = store.appendToStream(`${stream}x`, [event()], { expectedRevision: 'no_stream' });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 2 })).toEqual(first);
        await expect(bystander).resolves.toMatchObject({ nextExpectedRevision: 0 });
        expect(await collect(store.readStream(stream))).toHaveLength(3);
      });
      it('refuses a batch that mixes old ids with new ones', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        const old = event();
        await store.appendToStream(stream, [old], { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(stream, [old, event()], { expectedRevision: 'no_stream' })).rejects.toThrow(
          PartialDuplicateAppend,
        );
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
    });

    describe('reading', () => {
      it('reads a stream in revision order, from a revision, up to a count; nothing for a missing stream', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-1`;
        await store.appendToStream(
          stream,
          Array.from({ length: 5 }, (_, n) => event('Numbered', { n })),
        );
        const all = await collect(store.readStream(stream));
        expect(all.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4]);
        expect(all[0]).toMatchObject({
          streamName: stream,
          revision: 0,
          type: 'Numbered',
          metadata: { schemaVersion: 1 },
        });
        expect(all[0]?.createdAt).toBeInstanceOf(Date);
        expect(
          (await collect(store.readStream(stream, { fromRevision: 2, maxCount: 2 }))).map((e) => e.revision),
        ).toEqual([2, 3]);
        expect(await collect(store.readStream(`${newCategory()}-missing`))).toEqual([]);
      });
      it('reads all in position order, filtered by event type or category, from a position', async () => {
        const store = await open(target());
        const [a, b] = [newCategory(), newCategory()];
        await store.appendToStream(`${a}-1`, [event('Created'), event('Renamed')]);
        await store.appendToStream(`${b}-1`, [event('Created')]);
        await store.appendToStream(`${a}-2`, [event('Created')]);
        const ofA = await collect(store.readAll({ filter: { categories: [a] } }));
        expect(ofA.map((e) => `${e.streamName}:${e.type}`)).toEqual([
          `${a}-1:Created`,
          `${a}-1:Renamed`,
          `${a}-2:Created`,
        ]);
        const positions = ofA.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(new Set(positions).size).toBe(3);
        const created = await collect(store.readAll({ filter: { categories: [a, b], eventTypes: ['Created'] } }));
        expect(created.map((e) => e.streamName)).toEqual([`${a}-1`, `${b}-1`, `${a}-2`]);
        const after = await collect(store.readAll({ from: ofA[1]?.position, filter: { categories: [a] } }));
        expect(after.map((e) => e.streamName)).toEqual([`${a}-2`]);
        expect(await collect(store.readAll({ filter: { categories: [a] }, maxCount: 2 }))).toHaveLength(2);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(positions.at(-1) as number);
      });
      it('counts the events after a position, not the positions, and stops counting at the limit', async () => {
        const store = await open(target());
        const category = newCategory();
        const first = await store.appendToStream(`${category}-1`, [event()]);
        await store.appendToStream(`${category}-1`, [event(), event()]);
        await store.appendToStream(`${category}-2`, [event()]);
        // A shared server may hold later events from other tests; at least these three follow.
        expect(await store.countEventsAfter(first.position, 3)).toBe(3);
        expect(await store.countEventsAfter(first.position, 2)).toBe(2);
        expect(await store.countEventsAfter(first.position, 0)).toBe(0);
        expect(await store.countEventsAfter(await store.headPosition(), 10)).toBe(0);
      });
      it('streams a long log page by page', async () => {
        const store = await open(target());
        const category = newCategory();
        for (let batch = 0; batch < 5; batch++)
          await store.appendToStream(
            `${category}-${batch}`,
            Array.from({ length: 700 }, (_, n) => event('Numbered', { n: batch * 700 + n })),
          );
        const all = await collect(store.readAll({ filter: { categories: [category] } }));
        expect(all.map((e) => e.data.n)).toEqual(Array.from({ length: 3500 }, (_, n) => n));
      });
    });

    describe('concurrency', () => {
      it('50 appenders racing on one revision: exactly one wins, each round, nothing else is written', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-race`;
        for (let round = 0; round < 10; round++) {
          const expectedRevision = round === 0 ? ('no_stream' as const) : round - 1;
          const outcomes = await Promise.allSettled(
            Array.from({ length: 50 }, (_, appender) =>
              store.appendToStream(stream, [event('Won', { round, appender })], { expectedRevision }),
            ),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o) => o.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost.every((o) => o.reason instanceof VersionConflict)).toBe(true);
        }
        const events = await collect(store.readStream(stream));
        expect(events.map((e) => [e.revision, e.data.round])).toEqual(Array.from({ length: 10 }, (_, r) => [r, r]));
      });
      it('50 appenders retrying on conflict: every append lands once, revisions without gaps', async () => {
        const store = await open(target());
        const stream = `${newCategory()}-retry`;
        const appendUntilWon = async (appender: number) => {
          for (;;) {
            const events = await collect(store.readStream(stream));
            const expectedRevision = events.length === 0 ? ('no_stream' as const) : events.length - 1;
            try {
              return await store.appendToStream(stream, [event('Landed', { appender })], { expectedRevision });
            } catch (error) {
              if (!(error instanceof VersionConflict)) throw error;
            }
          }
        };
        await Promise.all(Array.from({ length: 50 }, (_, appender) => appendUntilWon(appender)));
        const events = await collect(store.readStream(stream));
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, r) => r));
        expect(events.map((e) => e.data.appender).sort((x, y) => Number(x) - Number(y))).toEqual(
          Array.from({ length: 50 }, (_, a) => a),
        );
      });
      it('concurrent appends each keep their own check: one conflict fails only its own append', async () => {
        const store = await open(target());
        const category = newCategory();
        await store.appendToStream(`${category}-stale`, [event()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, n) =>
            n === 7
              ? store.appendToStream(`${category}-stale`, [event()], { expectedRevision: 'no_stream' })
              : store.appendToStream(`${category}-${n}`, [event(), event()], { expectedRevision: 'no_stream' }),
          ),
        );
        expect(outcomes.map((o) => o.status)).toEqual(
          Array.from({ length: 20 }, (_, n) => (n === 7 ? 'rejected' : 'fulfilled')),
        );
        expect(await collect(store.readAll({ filter: { categories: [category] } }))).toHaveLength(1 + 19 * 2);
      });
      it('two store instances on one stream (as two processes): a stale expectation is a conflict', async () => {
        const t = target();
        const [first, second] = [await open(t), await open(t)];
        const stream = `${newCategory()}-shared`;
        await first.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        await second.appendToStream(stream, [event()], { expectedRevision: 0 });
        await expect(first.appendToStream(stream, [event()], { expectedRevision: 0 })).rejects.toThrow(VersionConflict);
        const next = await first.appendToStream(stream, [event()], { expectedRevision: 'any' });
        expect(next.nextExpectedRevision).toBe(2);
        expect((await collect(second.readStream(stream))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('subscriptions', () => {
      it('catches up, then delivers live appends, and stops on close', async () => {
        const store = await open(target());
        const category = newCategory();
        await store.appendToStream(`${category}-1`, [event('Before')]);
        const subscription = store.subscribe({ filter: { categories: [category] } });
        const seen: string[] = [];
        const done = (async () => {
          for await (const e of subscription) {
            seen.push(e.type);
            if (seen.length === 3) await store.appendToStream(`${category}-1`, [event('AfterThird')]);
          }
        })();
        await until(() => seen.length === 1, 'the catch-up event');
        await store.appendToStream(`${category}-2`, [event('Live'), event('Live')]);
        await until(() => seen.length === 4, 'live events');
        await subscription.close();
        await done;
        expect(seen).toEqual(['Before', 'Live', 'Live', 'AfterThird']);
      });
      it("from 'end' delivers only what is appended later", async () => {
        const store = await open(target());
        const category = newCategory();
        await store.appendToStream(`${category}-1`, [event('Old')]);
        const subscription = store.subscribe({ from: 'end', filter: { categories: [category] } });
        const seen: string[] = [];
        const done = (async () => {
          for await (const e of subscription) seen.push(e.type);
        })();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await store.appendToStream(`${category}-1`, [event('New')]);
        await until(() => seen.length === 1, 'the new event');
        await subscription.close();
        await done;
        expect(seen).toEqual(['New']);
      });
      it('two processes append while this one subscribes: each event seen once, in position order', async () => {
        const t = target();
        const store = await open(t);
        const category = newCategory();
        const subscription = store.subscribe({ filter: { categories: [category] } });
        const seen: RecordedEvent[] = [];
        const done = (async () => {
          for await (const e of subscription) {
            seen.push(e);
            if (seen.length === 600) break;
          }
        })();
        const writers = [
          start('append-worker', [t.url, category, 'a', '300', '4']),
          start('append-worker', [t.url, category, 'b', '300', '4']),
        ];
        expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0]);
        await done;
        await subscription.close();
        const acked = writers.flatMap((w) => acks(w.lines));
        expect(acked).toHaveLength(600);
        expect(new Set(seen.map((e) => e.id))).toEqual(new Set(acked.map((a) => a.id)));
        const positions = seen.map((e) => e.position);
        expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] as number))).toBe(true);
        expect(seen.every((e) => payloadIsIntact(e.data))).toBe(true);
      });
      it('a subscriber killed with SIGKILL resumes from its checkpoint: no gap, no duplicate', async () => {
        const t = target();
        const store = await open(t);
        const category = newCategory();
        for (let n = 0; n < 4; n++)
          await store.appendToStream(
            `${category}-${n}`,
            Array.from({ length: 100 }, (_, i) => event('Numbered', payloadFor(n * 100 + i))),
          );
        const outDb = join(mkdtempSync(join(tmpdir(), 'marquee-subscriber-')), 'seen.db');
        const seenCount = () => {
          try {
            const db = new Database(outDb, { readonly: true, fileMustExist: true });
            try {
              return db.prepare('SELECT count(*) FROM seen').pluck().get() as number;
            } finally {
              db.close();
            }
          } catch {
            return 0;
          }
        };
        const first = start('checkpointed-subscriber', [t.url, category, outDb, '600', '2']);
        await until(() => seenCount() >= 150, 'the subscriber to get going');
        first.child.kill('SIGKILL');
        await first.exited;
        const killedAt = seenCount();
        expect(killedAt).toBeLessThan(400);
        // Events appended while it was down must reach it too.
        for (let n = 4; n < 6; n++)
          await store.appendToStream(
            `${category}-${n}`,
            Array.from({ length: 100 }, (_, i) => event('Numbered', payloadFor(n * 100 + i))),
          );
        const second = start('checkpointed-subscriber', [t.url, category, outDb, '600']);
        expect(await second.exited).toBe(0);
        const db = new Database(outDb, { readonly: true });
        const seen = db.prepare('SELECT position, id FROM seen ORDER BY rowid').all() as {
          position: number;
          id: string;
        }[];
        db.close();
        const all = await collect(store.readAll({ filter: { categories: [category] } }));
        expect(seen.map((s) => s.id)).toEqual(all.map((e) => e.id));
      });
      it('a writer killed with SIGKILL loses no acknowledged append and leaves no torn event', async () => {
        const t = target();
        const category = newCategory();
        const writer = start('append-worker', [t.url, category, 'w', 'forever', '8']);
        await until(() => acks(writer.lines).length >= 500, 'acknowledged appends');
        writer.child.kill('SIGKILL');
        await writer.exited;
        const acked = acks(writer.lines);
        const store = await open(t);
        const stored = await collect(store.readAll({ filter: { categories: [category] } }));
        const storedIds = new Set(stored.map((e) => e.id));
        expect(acked.filter((a) => !storedIds.has(a.id))).toEqual([]);
        expect(stored.every((e) => payloadIsIntact(e.data))).toBe(true);
        const byStream = new Map<string, RecordedEvent[]>();
        for (const e of stored) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e]);
        for (const events of byStream.values()) expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      });
    });
  });
};
