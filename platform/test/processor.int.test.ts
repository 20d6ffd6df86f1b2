import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CheckpointStore,
  checkpointIn,
  createMemoryCheckpointStore,
  createProcessor,
  type EventStore,
  openEventStore,
  type ProcessorCheckpoint,
  type ProcessorOptions,
  type RecordedEvent,
} from '../src';
import { sparsePositions } from '../src/testing';

const opened: { close(): Promise<void> }[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const store of opened.splice(0).reverse()) await store.close();
});

const temporary = () => mkdtempSync(join(tmpdir(), 'marquee-processor-'));
const setup = async () => {
  const dir = temporary();
  const url = `sqlite:${join(dir, 'events.db')}`;
  const eventStore = await openEventStore(url);
  const checkpoints = createMemoryCheckpointStore();
  opened.push(eventStore);
  return { dir, url, eventStore, checkpoints };
};
const append = (store: EventStore, stream: string, type: string, count = 1) =>
  store.appendToStream(
    stream,
    Array.from({ length: count }, () => ({ id: randomUUID(), type, data: {} })),
  );
const until = async (condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) => {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const now = () => new Date('2026-01-01T00:00:00Z');
const perEvent = (
  eventStore: EventStore,
  checkpoints: CheckpointStore,
  handle: (event: RecordedEvent) => Promise<void>,
  extra: Partial<ProcessorOptions> = {},
) =>
  createProcessor({
    name: 'test',
    eventStore,
    checkpoint: checkpointIn(checkpoints, 'test'),
    filter: { eventTypes: ['Wanted'] },
    now,
    handle,
    ...(extra as object),
  });

describe('a processor, one event at a time', () => {
  it('hands over the filtered events in order, saving the checkpoint after each, then follows live appends', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 3);
    await append(eventStore, 'a-2', 'Other', 2);
    await append(eventStore, 'a-1', 'Wanted');
    const seen: { position: number; checkpointBefore: number | undefined }[] = [];
    const processor = perEvent(eventStore, checkpoints, async (event) => {
      seen.push({ position: event.position, checkpointBefore: (await checkpoints.load('test'))?.position });
    });
    await processor.start();
    await until(() => seen.length === 4, 'catch-up');
    expect(seen.map((s) => s.position)).toEqual([1, 2, 3, 6]);
    expect(seen.map((s) => s.checkpointBefore)).toEqual([undefined, 1, 2, 3]);
    await until(async () => (await checkpoints.load('test'))?.position === 6, 'the checkpoint at the head');
    await append(eventStore, 'a-3', 'Other');
    await append(eventStore, 'a-3', 'Wanted');
    await until(() => seen.length === 5, 'a live event');
    expect(seen[4]?.position).toBe(8);
    await until(async () => (await checkpoints.load('test'))?.position === 8, 'the live checkpoint');
    expect(processor.status()).toEqual({ state: 'running', position: 8 });
    expect(await processor.lag()).toBe(0);
    await processor.stop();
    expect(processor.status().state).toBe('stopped');
    await expect(processor.done).resolves.toEqual({ position: 8 });
  });

  it('restarted, starts after its checkpoint and keeps its state with it', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 2);
    const kept = { pending: ['x'] };
    const first = perEvent(eventStore, checkpoints, async () => {}, { state: () => kept });
    await first.start();
    await until(async () => (await checkpoints.load('test'))?.position === 2, 'the first run');
    await first.stop();
    expect(await checkpoints.load('test')).toMatchObject({ position: 2, state: { pending: ['x'] } });
    await append(eventStore, 'a-1', 'Wanted');
    const seen: number[] = [];
    const second = perEvent(eventStore, checkpoints, async (event) => {
      seen.push(event.position);
    });
    await second.start();
    await until(() => seen.length === 1, 'the event appended while it was down');
    expect(seen).toEqual([3]);
    await second.stop();
  });

  it('fails visibly: status failed with the error, done rejects, onError hears it, the checkpoint stays before the event', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 3);
    const heard: unknown[] = [];
    const processor = perEvent(
      eventStore,
      checkpoints,
      async (event) => {
        if (event.position === 2) throw new Error('the queue is gone');
      },
      { onError: (error) => heard.push(error) },
    );
    await processor.start();
    await expect(processor.done).rejects.toThrow('the queue is gone');
    expect(processor.status()).toMatchObject({ state: 'failed', position: 1, error: expect.any(Error) });
    expect(heard).toHaveLength(1);
    expect((await checkpoints.load('test'))?.position).toBe(1);
  });

  it('told to, goes on when its checkpoint cannot be saved (a full disk), says so once, and saves again later', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted');
    let diskFull = false;
    const failing: ProcessorCheckpoint = {
      load: () => checkpoints.load('test'),
      save: async (position, state) => {
        if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await checkpoints.save('test', position, state);
      },
    };
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message), info: () => {}, error: () => {} };
    const seen: number[] = [];
    const processor = perEvent(
      eventStore,
      checkpoints,
      async (event) => {
        seen.push(event.position);
      },
      { checkpoint: failing, goOnWhenCheckpointFails: true, logger: logger as never },
    );
    await processor.start();
    await until(async () => (await checkpoints.load('test'))?.position === 1, 'the first checkpoint');
    diskFull = true;
    await append(eventStore, 'a-1', 'Wanted');
    await append(eventStore, 'a-1', 'Wanted');
    await until(() => seen.length === 3, 'the events appended while the disk is full');
    expect(processor.status().state).toBe('running');
    expect((await checkpoints.load('test'))?.position).toBe(1);
    expect(warnings.filter((w) => w.includes('checkpoint not saved'))).toHaveLength(1);
    diskFull = false;
    await append(eventStore, 'a-1', 'Wanted');
    await until(async () => (await checkpoints.load('test'))?.position === 4, 'the checkpoint saved again');
    await processor.stop();
  });

  it('without being told to, stops when its checkpoint cannot be saved', async () => {
    const { eventStore } = await setup();
    await append(eventStore, 'a-1', 'Wanted');
    const processor = perEvent(eventStore, createMemoryCheckpointStore(), async () => {}, {
      checkpoint: {
        load: async () => undefined,
        save: async () => {
          throw new Error('ENOSPC: no space left on device, write');
        },
      },
    });
    await processor.start();
    await expect(processor.done).rejects.toThrow('ENOSPC');
  });

  it('stops gracefully: waits for the handler in flight and saves after it', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 5);
    let release: () => void = () => {};
    const handled: number[] = [];
    const processor = perEvent(eventStore, checkpoints, async (event) => {
      if (event.position === 2) await new Promise<void>((resolve) => (release = resolve));
      handled.push(event.position);
    });
    await processor.start();
    await until(() => handled.length === 1, 'the first event');
    const stopped = processor.stop();
    let stoppedYet = false;
    void stopped.then(() => (stoppedYet = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stoppedYet).toBe(false);
    release();
    await stopped;
    expect(handled).toEqual([1, 2]);
    expect((await checkpoints.load('test'))?.position).toBe(2);
    expect(processor.status()).toEqual({ state: 'stopped', position: 2 });
  });

  it('reports its lag behind the head', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 4);
    let release: () => void = () => {};
    const processor = perEvent(eventStore, checkpoints, async (event) => {
      if (event.position === 2) await new Promise<void>((resolve) => (release = resolve));
    });
    await processor.start();
    await until(async () => (await checkpoints.load('test'))?.position === 1, 'the first event');
    expect(await processor.lag()).toBe(3);
    release();
    await until(async () => (await processor.lag()) === 0, 'no lag');
    await processor.stop();
  });

  it('counts its lag in events where positions are not dense (as on EventStoreDB), up to a limit', async () => {
    const setUp = await setup();
    const eventStore = sparsePositions(setUp.eventStore, 100);
    await append(eventStore, 'a-1', 'Wanted', 4);
    let release: () => void = () => {};
    const processor = perEvent(eventStore, setUp.checkpoints, async (event) => {
      if (event.position === 200) await new Promise<void>((resolve) => (release = resolve));
    });
    await processor.start();
    await until(async () => (await setUp.checkpoints.load('test'))?.position === 100, 'the first event');
    expect(await processor.lag()).toBe(3);
    expect(await processor.lag(2)).toBe(2);
    release();
    await until(async () => (await processor.lag()) === 0, 'no lag');
    expect((await setUp.checkpoints.load('test'))?.position).toBe(400);
    await processor.stop();
  });
});

describe('a processor, in batches', () => {
  const counting = (checkpoints: CheckpointStore) => {
    const saves: number[] = [];
    const checkpoint: ProcessorCheckpoint = {
      load: () => checkpoints.load('batched'),
      save: async (position, state) => {
        saves.push(position);
        await checkpoints.save('batched', position, state);
      },
    };
    return { saves, checkpoint };
  };

  it('catches up in chunks, saves every so many events and at the head, then finishes when not following', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 25);
    await append(eventStore, 'a-2', 'Other', 5);
    const { saves, checkpoint } = counting(checkpoints);
    const batches: number[][] = [];
    const caughtUp: number[] = [];
    const processor = createProcessor({
      name: 'batched',
      eventStore,
      checkpoint,
      filter: { eventTypes: ['Wanted'] },
      follow: false,
      now,
      batching: { catchUpChunk: 4, saveEvery: 10 },
      handleBatch: async (events) => {
        batches.push(events.map((e) => e.position));
      },
      onCaughtUp: (position) => caughtUp.push(position),
    });
    await processor.start();
    await expect(processor.done).resolves.toEqual({ position: 30 });
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Every 12 events (the first chunk boundary past 10), and once more at the head, past the unhandled ones.
    expect(saves).toEqual([12, 24, 30]);
    expect(caughtUp).toEqual([30]);
    expect(processor.status()).toEqual({ state: 'finished', position: 30 });
  });

  it('stops at a snapshot position', async () => {
    const { eventStore, checkpoints } = await setup();
    await append(eventStore, 'a-1', 'Wanted', 10);
    const handled: number[] = [];
    const processor = createProcessor({
      name: 'snapshot',
      eventStore,
      checkpoint: checkpointIn(checkpoints, 'snapshot'),
      until: { position: 6 },
      now,
      handleBatch: async (events) => {
        handled.push(...events.map((e) => e.position));
      },
    });
    await processor.start();
    await expect(processor.done).resolves.toEqual({ position: 6 });
    expect(handled).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('live, gathers appends into small batches, and tracking the head moves past events it does not handle', async () => {
    const { eventStore, checkpoints } = await setup();
    const { saves, checkpoint } = counting(checkpoints);
    const batches: number[][] = [];
    const processor = createProcessor({
      name: 'batched',
      eventStore,
      checkpoint,
      filter: { eventTypes: ['Wanted'] },
      trackHead: true,
      now,
      batching: { live: 50, liveWaitMs: 200 },
      handleBatch: async (events) => {
        batches.push(events.map((e) => e.position));
      },
    });
    await processor.start();
    await until(() => processor.status().state === 'running', 'start');
    await Promise.all([
      append(eventStore, 'a-1', 'Wanted'),
      append(eventStore, 'a-2', 'Wanted'),
      append(eventStore, 'a-3', 'Wanted'),
    ]);
    await until(() => batches.flat().length === 3, 'the live events');
    expect(batches.length).toBeLessThan(3);
    await append(eventStore, 'a-4', 'Other', 2);
    await until(() => saves.at(-1) === 5, 'the checkpoint past unhandled events');
    expect(batches.flat()).toEqual([1, 2, 3]);
    expect(await processor.lag()).toBe(0);
    await processor.stop();
  });

  it('finishes when asked to stop continuing, before handling the batch', async () => {
    const { eventStore, checkpoints } = await setup();
    const handled: number[] = [];
    let live = true;
    const processor = createProcessor({
      name: 'generation',
      eventStore,
      checkpoint: checkpointIn(checkpoints, 'generation'),
      now,
      shouldContinue: async () => live,
      handleBatch: async (events) => {
        handled.push(...events.map((e) => e.position));
      },
    });
    await processor.start();
    await append(eventStore, 'a-1', 'Wanted');
    await until(() => handled.length === 1, 'one live event');
    live = false;
    await append(eventStore, 'a-1', 'Wanted');
    await expect(processor.done).resolves.toEqual({ position: 1 });
    expect(handled).toEqual([1]);
    expect(processor.status()).toEqual({ state: 'finished', position: 1 });
  });
});

describe('a processor killed with SIGKILL', () => {
  const script = fileURLToPath(new URL('./processes/checkpointed-processor.ts', import.meta.url));
  const run = (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        if (code !== 0 && code !== null) console.error(stderr);
        resolve(code);
      }),
    );
    return { child, exited };
  };

  it('mid-stream, and restarted, handles every event exactly once in its effect', async () => {
    const { dir, url, eventStore } = await setup();
    const checkpointsUrl = `sqlite:${join(dir, 'checkpoints.db')}`;
    const effectsPath = join(dir, 'effects.db');
    for (let n = 0; n < 4; n++) await append(eventStore, `wanted-${n}`, 'Numbered', 100);
    await append(eventStore, 'unwanted-1', 'Numbered', 50);
    const effects = () => {
      try {
        const db = new Database(effectsPath, { readonly: true, fileMustExist: true });
        try {
          return db.prepare('SELECT count(*) FROM effects').pluck().get() as number;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };
    const first = run([url, checkpointsUrl, 'wanted', effectsPath, '600', '3']);
    await until(() => effects() >= 120, 'the processor to get going');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(effects()).toBeLessThan(400);
    // Appended while it was down: they must reach it too.
    for (let n = 4; n < 6; n++) await append(eventStore, `wanted-${n}`, 'Numbered', 100);
    const second = run([url, checkpointsUrl, 'wanted', effectsPath, '600']);
    expect(await second.exited).toBe(0);

    const db = new Database(effectsPath, { readonly: true });
    const rows = db.prepare('SELECT id, position FROM effects ORDER BY position').all() as { id: string }[];
    const deliveries = db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number;
    db.close();
    const wanted: string[] = [];
    for await (const event of eventStore.readAll({ filter: { categories: ['wanted'] } })) wanted.push(event.id);
    expect(rows.map((row) => row.id)).toEqual(wanted);
    // At least once in delivery, exactly once in effect: a redelivery, if any, changed nothing.
    expect(deliveries).toBeGreaterThanOrEqual(600);
  });
});
