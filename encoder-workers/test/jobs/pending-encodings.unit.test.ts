import type { RecordedEvent } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import {
  evolvePendingEncodings,
  type PendingEncoding,
  type PendingEncodings,
  pendingEncodingsOf,
} from '../../src/jobs/pending-encodings';
import { jobFailureReason } from '../../src/jobs/record-encoding-failure';

const at = '2026-11-24T10:00:00.000Z';
const probe = { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };
let position = 0;
const recorded = (id: string, type: string, data: Record<string, unknown>): RecordedEvent => ({
  id,
  type,
  streamName: 'title-t1',
  revision: position,
  position: ++position,
  data,
  metadata: { schemaVersion: 1 },
  createdAt: new Date(at),
});
const uploaded = (id: string) =>
  recorded(id, 'SourceUploaded', {
    titleId: 't1',
    uploadId: `u-${id}`,
    path: `/uploads/${id}`,
    sizeBytes: 1,
    sha256: 'a'.repeat(64),
    probe,
    at,
  });
const fold = (events: RecordedEvent[]): PendingEncodings =>
  events.reduce(evolvePendingEncodings, new Map() as PendingEncodings);

describe('pending encodings', () => {
  it('holds each upload until its encoding ends, keyed by the upload event id (the job id)', () => {
    const pending = fold([
      uploaded('e1'),
      uploaded('e2'),
      uploaded('e3'),
      recorded('x1', 'EncodingFailed', { titleId: 't1', encodingId: 'e1', reason: 'no video', at }),
      recorded('x2', 'EncodingStarted', { titleId: 't1', encodingId: 'e2', uploadId: 'u-e2', at }),
    ]);
    expect([...pending.keys()]).toEqual(['e2', 'e3']);
    expect(pending.get('e3')).toEqual({
      kind: 'encode',
      jobId: 'e3',
      titleId: 't1',
      uploadId: 'u-e3',
      sourcePath: '/uploads/e3',
      probe,
    });
  });

  it('holds a revision per audio track or captions added, until its encoding ends', () => {
    const pending = fold([
      recorded('c1', 'CaptionsAdded', {
        titleId: 't1',
        language: 'en',
        path: '/captions/en.vtt',
        sha256: 'b'.repeat(64),
        cueCount: 3,
        at,
      }),
      recorded('a1', 'AudioTrackAdded', {
        titleId: 't1',
        trackId: 'track-1',
        language: 'fr',
        path: '/audio/fr.m4a',
        sizeBytes: 1,
        sha256: 'c'.repeat(64),
        at,
      }),
      recorded('x1', 'EncodingStarted', { titleId: 't1', encodingId: 'c1', uploadId: 'u1', revisionOf: 'e0', at }),
      recorded('x2', 'EncodingFailed', { titleId: 't1', encodingId: 'c1', reason: 'unreadable captions', at }),
    ]);
    expect([...pending.values()]).toEqual([{ kind: 'revise', jobId: 'a1', titleId: 't1' }]);
  });

  it('reads back what the checkpoint kept, and refuses a state that is not a list of them', () => {
    const pending = fold([uploaded('e1')]);
    expect(pendingEncodingsOf({ pending: [...pending.values()] })).toEqual(pending);
    expect(() => pendingEncodingsOf({ pending: [{ jobId: 'e1' }] })).toThrow();
  });

  it('reads a checkpoint kept before revisions existed: its jobs are encodes', () => {
    const { kind: _, ...kept } = fold([uploaded('e1')]).get('e1') as PendingEncoding;
    expect(pendingEncodingsOf({ pending: [kept] }).get('e1')).toEqual({ kind: 'encode', ...kept });
  });
});

describe('why BullMQ failed a job', () => {
  it("says in words what BullMQ's stall limit means, and passes other reasons on", () => {
    expect(jobFailureReason('job stalled more than allowable limit')).toMatch(/stopped \(killed or stalled\)/);
    expect(jobFailureReason('the worker ran out of memory')).toBe('the worker ran out of memory');
    expect(jobFailureReason(undefined)).toBe('the encode job failed');
  });
});
