import { type TitleCommand, type TitleState, titleDecider } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { planRevision } from '../../src/jobs/revise-job';

const at = '2026-11-24T10:00:00.000Z';
const probe = { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };
const succeed = (encodingId: string, captions: { language: string; sha256: string }[] = []): TitleCommand => ({
  type: 'RecordEncodingSucceeded',
  encodingId,
  ladder: [{ width: 640, height: 360, videoBitrateKbps: 700 }],
  manifestPath: `t1/${encodingId}/manifest.mpd`,
  packageIndex: { files: 1, bytes: 1, sha256: 'b'.repeat(64) },
  durationSeconds: 6,
  encodeSeconds: 1,
  tracks: { audio: [{ language: null, trackId: null }], captions, thumbnails: null },
  at,
});
const captions: TitleCommand = {
  type: 'AddCaptions',
  language: 'en',
  path: '/captions/en.vtt',
  sha256: 'c'.repeat(64),
  cueCount: 2,
  at,
};

/** The title after these commands, as the decider leaves it. */
const titleAfter = (commands: TitleCommand[]): TitleState =>
  (
    [
      {
        type: 'CreateTitle',
        titleId: 't1',
        name: 'T',
        synopsis: '',
        genres: ['drama'],
        year: 2020,
        maturityRating: 'all',
        at,
      },
      { type: 'RecordSourceUpload', uploadId: 'u1', path: '/u1', sizeBytes: 1, sha256: 'a'.repeat(64), probe, at },
      ...commands,
    ] satisfies TitleCommand[]
  ).reduce<TitleState>(
    (state, command) => titleDecider.decide(command, state).reduce(titleDecider.evolve, state),
    titleDecider.initialState(),
  );

describe('what a revision job does', () => {
  it('revises the latest encoding when it lacks captions the title has', () => {
    const state = titleAfter([
      { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
      succeed('e1'),
      captions,
    ]);
    expect(planRevision(state, 'job')).toEqual({ action: 'start', revisionOf: 'e1', uploadId: 'u1' });
  });

  it('does nothing before any encoding succeeded, or when the latest has everything', () => {
    const encoding = titleAfter([{ type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at }, captions]);
    expect(planRevision(encoding, 'job')).toMatchObject({ action: 'nothing' });
    const complete = titleAfter([
      captions,
      { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
      succeed('e1', [{ language: 'en', sha256: 'c'.repeat(64) }]),
    ]);
    expect(planRevision(complete, 'job')).toMatchObject({ action: 'nothing' });
  });

  it('waits while another revision of the title runs, and goes on with its own once started', () => {
    const state = titleAfter([
      { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
      succeed('e1'),
      captions,
      { type: 'RecordEncodingStarted', encodingId: 'r1', uploadId: 'u1', revisionOf: 'e1', at },
    ]);
    expect(planRevision(state, 'r2')).toEqual({ action: 'wait', behind: 'r1' });
    expect(planRevision(state, 'r1')).toEqual({ action: 'resume', revisionOf: 'e1', uploadId: 'u1' });
  });

  it('does nothing for a revision that already ended', () => {
    const state = titleAfter([
      { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
      succeed('e1'),
      captions,
      { type: 'RecordEncodingStarted', encodingId: 'r1', uploadId: 'u1', revisionOf: 'e1', at },
      { type: 'RecordEncodingFailed', encodingId: 'r1', reason: 'unreadable captions', at },
    ]);
    expect(planRevision(state, 'r1')).toMatchObject({ action: 'nothing' });
  });
});
