import { describe, expect, it } from 'vitest';
import { type EventToAppend, PartialDuplicateAppend, VersionConflict } from '../src';
import {
  originalOrConflict,
  RepeatedEventId,
  refuseRepeatedIds,
  repeatedAppend,
} from '../src/event-store/duplicate-events';

const event = (id: string): EventToAppend => ({ id, type: 'X', data: {} });
const batch = [event('a'), event('b'), event('c')];

describe('the duplicate-event policy every event store adapter shares', () => {
  it('an append with none of its ids in the stream is new', () => {
    expect(repeatedAppend('title-1', batch, [undefined, undefined, undefined])).toBeNull();
  });
  it('an append with all of its ids in the stream is a retry: the last of the originals answers it', () => {
    const found = [
      { revision: 4, position: 40 },
      { revision: 6, position: 60 },
      { revision: 5, position: 50 },
    ];
    expect(repeatedAppend('title-1', batch, found)).toEqual({ revision: 6, position: 60 });
  });
  it('an append mixing ids in the stream with new ones is refused, naming the repeated ids', () => {
    const attempt = () => repeatedAppend('title-1', batch, [{ revision: 0 }, undefined, { revision: 1 }]);
    expect(attempt).toThrow(PartialDuplicateAppend);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'PartialDuplicateAppend', streamName: 'title-1', duplicateIds: ['a', 'c'] });
    }
  });
  it('an append naming one id twice is refused with the id', () => {
    expect(() => refuseRepeatedIds('title-1', [event('a'), event('b'), event('a')])).toThrow(RepeatedEventId);
    expect(() => refuseRepeatedIds('title-1', [event('a'), event('b'), event('a')])).toThrow(
      /same event id twice \(a\)/,
    );
    expect(() => refuseRepeatedIds('title-1', batch)).not.toThrow();
    expect(() => refuseRepeatedIds('title-1', [])).not.toThrow();
  });
  it('a failed expectation is the original result for a retry, and a VersionConflict otherwise', () => {
    const original = { nextExpectedRevision: 3, position: 9 };
    expect(originalOrConflict(original, 'title-1', 'no_stream', 3)).toBe(original);
    expect(() => originalOrConflict(null, 'title-1', 2, 3)).toThrow(VersionConflict);
    expect(() => originalOrConflict(null, 'title-1', 'stream_exists', 'no_stream')).toThrow(/is absent/);
  });
});
