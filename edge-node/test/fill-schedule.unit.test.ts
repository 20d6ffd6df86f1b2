import { describe, expect, it } from 'vitest';
import { fillWindow } from '../src/edge-config';
import { createFillSchedule } from '../src/fill-schedule';

const clock = (start: string) => {
  let current = new Date(start);
  return { now: () => current, advance: (ms: number) => (current = new Date(current.getTime() + ms)) };
};
const nothingFilling = () => false;
const pkg = (titleId: string) => ({ titleId, encodingId: 'e1' });

describe('the fill schedule', () => {
  it('holds publishes for the fill window, but not a viewer’s demand', () => {
    const time = clock('2026-06-01T12:00:00');
    const schedule = createFillSchedule({ fillWindow: fillWindow.parse('02:00-06:00'), now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('published'), reason: 'published' });
    expect(schedule.next(nothingFilling)).toBeUndefined();
    expect(schedule.waiting(nothingFilling)).toMatchObject([{ titleId: 'published', waitingFor: 'fill window' }]);
    schedule.enqueue({ ...pkg('wanted'), reason: 'demand' }, true);
    expect(schedule.next(nothingFilling)?.titleId).toBe('wanted');
    time.advance(15 * 3600_000); // 03:00 the next day
    expect(schedule.windowOpen()).toBe(true);
    expect(schedule.next((item) => item.titleId === 'wanted')?.titleId).toBe('published');
  });

  it('holds the popularity policy’s fills for the fill window too, and keeps them out of the checkpoint', () => {
    const time = clock('2026-06-01T12:00:00');
    const schedule = createFillSchedule({ fillWindow: fillWindow.parse('02:00-06:00'), now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('predicted'), reason: 'popular' });
    expect(schedule.next(nothingFilling)).toBeUndefined();
    expect(schedule.waiting(nothingFilling)).toMatchObject([{ titleId: 'predicted', waitingFor: 'fill window' }]);
    // Planned again from the log after a restart: nothing to remember.
    expect(schedule.pendingPublishes()).toEqual([]);
    expect(schedule.queuedFor('popular').map((item) => item.titleId)).toEqual(['predicted']);
    // A viewer asking for it does not wait.
    expect(schedule.promote(pkg('predicted'))).toBe(true);
    expect(schedule.next(nothingFilling)).toMatchObject({ titleId: 'predicted', reason: 'demand' });
  });

  it('queues a popular fill that found the disk full again as its own, not as a publish', () => {
    const time = clock('2026-06-01T12:00:00Z');
    const schedule = createFillSchedule({ now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('predicted'), reason: 'popular' });
    const item = schedule.next(nothingFilling);
    if (!item) throw new Error('nothing due');
    schedule.retryLater(item);
    expect(schedule.queuedFor('popular').map((queued) => queued.titleId)).toEqual(['predicted']);
    expect(schedule.pendingPublishes()).toEqual([]);
  });

  it('pulls a waiting publish through as a demand when a viewer asks for it', () => {
    const time = clock('2026-06-01T12:00:00');
    const schedule = createFillSchedule({ fillWindow: fillWindow.parse('02:00-06:00'), now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('a'), reason: 'published' });
    expect(schedule.promote(pkg('a'))).toBe(true);
    expect(schedule.next(nothingFilling)).toMatchObject({ titleId: 'a', reason: 'demand', fromPublish: true });
  });

  it('backs off a fill that could not start, doubling up to a minute, by the injected clock', () => {
    const time = clock('2026-06-01T12:00:00Z');
    const schedule = createFillSchedule({ now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('a'), reason: 'published' });
    const item = schedule.next(nothingFilling);
    if (!item) throw new Error('nothing due');
    expect(schedule.couldNotStart(item, false)).toBe('retry');
    expect(schedule.next(nothingFilling)).toBeUndefined();
    expect(schedule.waiting(nothingFilling)).toMatchObject([
      { titleId: 'a', waitingFor: 'a retry', retryAt: '2026-06-01T12:00:02.000Z' },
    ]);
    time.advance(2000);
    expect(schedule.next(nothingFilling)?.titleId).toBe('a');
    for (let attempt = 2; attempt <= 8; attempt++) expect(schedule.couldNotStart(item, false)).toBe('retry');
    expect(item.retryAt).toBe(time.now().getTime() + 60_000);
  });

  it('never gives up a publish for a passing problem, but does a demand that keeps failing, and anything permanent', () => {
    const time = clock('2026-06-01T12:00:00Z');
    const schedule = createFillSchedule({ now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('demanded'), reason: 'demand' });
    schedule.enqueue({ ...pkg('published'), reason: 'published' });
    const [demanded, published] = ['demanded', 'published'].map((t) => schedule.find(pkg(t)));
    if (!demanded || !published) throw new Error('not queued');
    for (let attempt = 1; attempt < 6; attempt++) expect(schedule.couldNotStart(demanded, false)).toBe('retry');
    expect(schedule.couldNotStart(demanded, false)).toBe('given up');
    for (let attempt = 1; attempt < 10; attempt++) expect(schedule.couldNotStart(published, false)).toBe('retry');
    expect(schedule.couldNotStart(published, true)).toBe('given up');
    expect(schedule.waiting(nothingFilling)).toEqual([]);
  });

  it('queues a fill that found the disk full as a publish again: after a growing pause, inside the fill window', () => {
    const time = clock('2026-06-01T03:00:00');
    const schedule = createFillSchedule({ fillWindow: fillWindow.parse('02:00-06:00'), now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('a'), reason: 'demand' });
    const item = schedule.next(nothingFilling);
    if (!item) throw new Error('nothing due');
    schedule.dequeue(item); // started
    expect(schedule.retryLater(item).getTime()).toBe(time.now().getTime() + 30_000);
    expect(schedule.pendingPublishes().map((p) => p.titleId)).toEqual(['a']);
    expect(schedule.waiting(nothingFilling)).toMatchObject([
      { titleId: 'a', reason: 'published', waitingFor: 'a retry' },
    ]);
    time.advance(30_000);
    const again = schedule.next(nothingFilling);
    expect(again?.titleId).toBe('a');
    if (!again) throw new Error('nothing due');
    // Full again: twice the pause.
    expect(schedule.retryLater(again).getTime()).toBe(time.now().getTime() + 60_000);
    time.advance(3 * 3600_000); // 06:10: due, but the window has shut
    expect(schedule.next(nothingFilling)).toBeUndefined();
    expect(schedule.waiting(nothingFilling)).toMatchObject([{ titleId: 'a', waitingFor: 'fill window' }]);
    time.advance(20 * 3600_000); // 02:10 the next day
    expect(schedule.next(nothingFilling)?.titleId).toBe('a');
  });

  it('keeps in the checkpoint only the publishes not yet started, and restores them', () => {
    const time = clock('2026-06-01T12:00:00Z');
    const schedule = createFillSchedule({ now: time.now, pending: [] });
    schedule.enqueue({ ...pkg('a'), reason: 'published' });
    schedule.enqueue({ ...pkg('b'), reason: 'demand' });
    schedule.enqueue({ ...pkg('b'), reason: 'published' });
    schedule.enqueue({ ...pkg('c'), reason: 'resume' });
    const pending = schedule.pendingPublishes();
    expect(pending.map((p) => p.titleId)).toEqual(['a', 'b']);
    schedule.dequeue(pkg('a'));
    expect(schedule.pendingPublishes().map((p) => p.titleId)).toEqual(['b']);
    const restored = createFillSchedule({ now: time.now, pending });
    expect(restored.waiting(nothingFilling).map((w) => w.titleId)).toEqual(['a', 'b']);
  });
});
