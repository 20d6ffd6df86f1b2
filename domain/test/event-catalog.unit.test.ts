import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, eventTypes, InvalidEventPayload, type MarqueeEvent, UnknownEventType } from '../src';

const at = '2026-11-24T10:00:00.000Z';
const created = {
  type: 'TitleCreated',
  data: { titleId: 't1', name: 'N', synopsis: 's', genres: ['drama'], year: 2001, maturityRating: '13+', at },
} satisfies MarqueeEvent;

describe('event catalog', () => {
  it('stamps events with their schema version', () => {
    expect(encodeEvent(created)).toEqual({ ...created, schemaVersion: 2 });
    expect(encodeEvent({ type: 'SubscriptionCancelled', data: { accountId: 'a', at } }).schemaVersion).toBe(1);
  });
  it('upcasts a v1 TitleCreated (one genre) to v2 (genres)', () => {
    const { genres: _, ...rest } = created.data;
    const v1 = { type: 'TitleCreated', data: { ...rest, genre: 'drama' }, schemaVersion: 1 };
    expect(decodeEvent(v1)).toEqual(created);
  });
  it('upcasts a v1 PlaybackStarted (no region) to v2 (region null)', () => {
    const data = {
      sessionId: 's1',
      accountId: 'a1',
      profileId: 'p1',
      titleId: 't1',
      encodingId: 'e1',
      manifestPath: 't1/e1/manifest.mpd',
      durationSeconds: 60,
      maxHeight: 720,
      edges: ['edge-eu'],
      resumeFromSeconds: 0,
      at,
    };
    expect(decodeEvent({ type: 'PlaybackStarted', data, schemaVersion: 1 })).toEqual({
      type: 'PlaybackStarted',
      data: { ...data, region: null },
    });
  });
  it('reads a current event unchanged', () => {
    expect(decodeEvent(encodeEvent(created))).toEqual(created);
  });
  it('refuses to write an event that breaks its schema, naming the field', () => {
    expect(() => encodeEvent({ ...created, data: { ...created.data, year: 'soon' as unknown as number } })).toThrow(
      /year/,
    );
  });
  it('refuses a stored payload that breaks its schema', () => {
    expect(() => decodeEvent({ type: 'TitleCreated', data: { titleId: 't1' }, schemaVersion: 2 })).toThrow(
      InvalidEventPayload,
    );
  });
  it('refuses an event written by a newer version', () => {
    expect(() => decodeEvent({ ...created, schemaVersion: 3 })).toThrow(/newer Marquee/);
  });
  it('refuses an unknown event type', () => {
    expect(() => decodeEvent({ type: 'Nope', data: {}, schemaVersion: 1 })).toThrow(UnknownEventType);
  });
  it('catalogs every event of the design', () => {
    expect(eventTypes).toEqual(
      expect.arrayContaining([
        'AccountRegistered',
        'SubscriptionStarted',
        'PlanChanged',
        'SubscriptionCancelled',
        'ProfileCreated',
        'TitleCreated',
        'TitleMetadataUpdated',
        'SourceUploaded',
        'EncodingStarted',
        'EncodingSucceeded',
        'EncodingFailed',
        'TitlePublished',
        'TitleUnpublished',
        'PlaybackStarted',
        'PlaybackProgressed',
        'PlaybackQoEReported',
        'PlaybackStopped',
        'EdgeRegistered',
        'EdgeFillStarted',
        'EdgeFillCompleted',
        'EdgeFillFailed',
        'EdgeEvicted',
      ]),
    );
  });
});
