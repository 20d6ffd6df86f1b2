import { describe, expect, it } from 'vitest';
import {
  EncodingAlreadyFinished,
  EncodingNotFound,
  encodingLacksTracks,
  foldEvents,
  InvalidMarkers,
  InvalidTitleMetadata,
  latestEncoding,
  NoIntroProposal,
  NothingToUpdate,
  SourceNotFound,
  TitleAlreadyExists,
  TitleAlreadyPublished,
  type TitleEvent,
  TitleNotEncoded,
  TitleNotFound,
  TitleNotPublished,
  titleDecider,
} from '../src';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(titleDecider);
const at = '2026-11-24T10:00:00.000Z';
const titleId = 't1';
const metadata = {
  name: 'Big Buck Bunny',
  synopsis: 'A giant rabbit has a bad day.',
  genres: ['animation', 'comedy'],
  year: 2008,
  maturityRating: 'all' as const,
};
const probe = {
  durationSeconds: 60,
  width: 1920,
  height: 1080,
  frameRate: 30,
  videoCodec: 'h264',
  audioCodec: 'aac',
};
const sha = 'a'.repeat(64);
const created: TitleEvent = { type: 'TitleCreated', data: { titleId, ...metadata, at } };
const uploaded: TitleEvent = {
  type: 'SourceUploaded',
  data: { titleId, uploadId: 'u1', path: 'uploads/u1', sizeBytes: 1000, sha256: sha, probe, at },
};
const started = (encodingId = 'e1'): TitleEvent => ({
  type: 'EncodingStarted',
  data: { titleId, encodingId, uploadId: 'u1', at },
});
const result = {
  ladder: [
    { width: 640, height: 360, videoBitrateKbps: 700 },
    { width: 1920, height: 1080, videoBitrateKbps: 4500 },
  ],
  manifestPath: 't1/e1/manifest.mpd',
  packageIndex: { files: 40, bytes: 5_000_000, sha256: sha },
  durationSeconds: 60,
  encodeSeconds: 12,
  at,
};
const succeeded = (encodingId = 'e1'): TitleEvent => ({
  type: 'EncodingSucceeded',
  data: { titleId, encodingId, ...result, manifestPath: `t1/${encodingId}/manifest.mpd` },
});
const failed: TitleEvent = {
  type: 'EncodingFailed',
  data: { titleId, encodingId: 'e1', reason: 'ffmpeg exited: 1', at },
};
const published = (encodingId = 'e1'): TitleEvent => ({
  type: 'TitlePublished',
  data: { titleId, encodingId, manifestPath: `t1/${encodingId}/manifest.mpd`, at },
});

describe('create', () => {
  it('creates a title', () =>
    given([])
      .when({ type: 'CreateTitle', titleId, ...metadata, at })
      .then([created]));
  it('refuses a title that already exists', () =>
    given([created])
      .when({ type: 'CreateTitle', titleId, ...metadata, at })
      .thenThrows(TitleAlreadyExists));
  it('refuses metadata that cannot be right, saying which field', () => {
    const error = given([])
      .when({ type: 'CreateTitle', titleId, ...metadata, year: 1700, genres: [], at })
      .thenThrows(InvalidTitleMetadata, /year/);
    expect(error.message).toMatch(/genres/);
  });
});

describe('update metadata', () => {
  it('records only the fields that changed', () =>
    given([created])
      .when({ type: 'UpdateTitleMetadata', changes: { name: 'Bunny', year: 2008 }, at })
      .then([{ type: 'TitleMetadataUpdated', data: { titleId, name: 'Bunny', at } }]));
  it('accepts an update that changes nothing as already done', () =>
    given([created])
      .when({ type: 'UpdateTitleMetadata', changes: { year: 2008 }, at })
      .thenNothing());
  it('refuses an empty update', () =>
    given([created]).when({ type: 'UpdateTitleMetadata', changes: {}, at }).thenThrows(NothingToUpdate));
  it('refuses invalid values', () =>
    given([created])
      .when({ type: 'UpdateTitleMetadata', changes: { maturityRating: 'X' as never }, at })
      .thenThrows(InvalidTitleMetadata, /maturityRating/));
  it('refuses a title that does not exist', () =>
    given([])
      .when({ type: 'UpdateTitleMetadata', changes: { name: 'x' }, at })
      .thenThrows(TitleNotFound));
});

describe('record source upload', () => {
  const command = {
    type: 'RecordSourceUpload',
    uploadId: 'u1',
    path: 'uploads/u1',
    sizeBytes: 1000,
    sha256: sha,
    probe,
    at,
  } as const;
  it('records the upload with its probe', () => given([created]).when(command).then([uploaded]));
  it('records the same upload once', () => given([created, uploaded]).when(command).thenNothing());
  it('refuses a title that does not exist', () => given([]).when(command).thenThrows(TitleNotFound));
});

describe('encoding', () => {
  it('records a started encoding of an uploaded source', () =>
    given([created, uploaded])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at })
      .then([started()]));
  it('records a retried start once', () =>
    given([created, uploaded, started()])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at })
      .thenNothing());
  it('refuses to start an encoding that already finished', () =>
    given([created, uploaded, started(), failed])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at })
      .thenThrows(EncodingAlreadyFinished));
  it('refuses to start from a source never uploaded', () =>
    given([created])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u9', at })
      .thenThrows(SourceNotFound, /upload the source first/));

  it('records a success with its ladder, manifest and package index', () =>
    given([created, uploaded, started()])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e1', ...result })
      .then([succeeded()]));
  it('records a success once, however often a worker reports it', () =>
    given([created, uploaded, started(), succeeded()])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e1', ...result })
      .thenNothing());
  it('refuses a success for an encoding never started', () =>
    given([created, uploaded])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e9', ...result })
      .thenThrows(EncodingNotFound));
  it('refuses a success after a failure', () =>
    given([created, uploaded, started(), failed])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e1', ...result })
      .thenThrows(EncodingAlreadyFinished, /already failed/));

  it('records a failure with its reason', () =>
    given([created, uploaded, started()])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', reason: 'ffmpeg exited: 1', at })
      .then([failed]));
  it('records a failure once', () =>
    given([created, uploaded, started(), failed])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', reason: 'again', at })
      .thenNothing());
  it('refuses a failure after a success', () =>
    given([created, uploaded, started(), succeeded()])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', reason: 'late', at })
      .thenThrows(EncodingAlreadyFinished, /already succeeded/));
  it('refuses a failure for an encoding never started', () =>
    given([created])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', reason: 'x', at })
      .thenThrows(EncodingNotFound));
  it('records a failure of an encoding that never started (its job was lost or cancelled) as started and failed', () =>
    given([created, uploaded])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', uploadId: 'u1', reason: 'cancelled', at })
      .then([started(), { type: 'EncodingFailed', data: { titleId, encodingId: 'e1', reason: 'cancelled', at } }]));
  it('refuses a failure of an encoding never started for a source never uploaded', () =>
    given([created])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', uploadId: 'u9', reason: 'x', at })
      .thenThrows(SourceNotFound));
  it('records a failure once even when it names the upload', () =>
    given([created, uploaded, started(), failed])
      .when({ type: 'RecordEncodingFailed', encodingId: 'e1', uploadId: 'u1', reason: 'again', at })
      .thenNothing());
});

describe('publish', () => {
  it('publishes the latest successful encoding', () =>
    given([created, uploaded, started('e1'), succeeded('e1'), started('e2'), succeeded('e2')])
      .when({ type: 'PublishTitle', at })
      .then([published('e2')]));
  it('refuses a title with no source', () =>
    given([created])
      .when({ type: 'PublishTitle', at })
      .thenThrows(TitleNotEncoded, /no source has been uploaded/));
  it('refuses while the encoding is still running', () =>
    given([created, uploaded, started()])
      .when({ type: 'PublishTitle', at })
      .thenThrows(TitleNotEncoded, /still running/));
  it('refuses when every encoding failed', () =>
    given([created, uploaded, started(), failed])
      .when({ type: 'PublishTitle', at })
      .thenThrows(TitleNotEncoded, /no encoding has succeeded/));
  it('refuses to publish again with the same encoding', () =>
    given([created, uploaded, started(), succeeded(), published()])
      .when({ type: 'PublishTitle', at })
      .thenThrows(TitleAlreadyPublished));
  it('republishes when a newer encoding succeeded', () =>
    given([created, uploaded, started('e1'), succeeded('e1'), published('e1'), started('e2'), succeeded('e2')])
      .when({ type: 'PublishTitle', at })
      .then([published('e2')]));
  it('refuses a title that does not exist', () =>
    given([]).when({ type: 'PublishTitle', at }).thenThrows(TitleNotFound));
});

describe('unpublish', () => {
  it('unpublishes a published title', () =>
    given([created, uploaded, started(), succeeded(), published()])
      .when({ type: 'UnpublishTitle', at })
      .then([{ type: 'TitleUnpublished', data: { titleId, encodingId: 'e1', at } }]));
  it('refuses a title that is not published', () =>
    given([created]).when({ type: 'UnpublishTitle', at }).thenThrows(TitleNotPublished));
  it('can publish again after unpublishing', () =>
    given([
      created,
      uploaded,
      started(),
      succeeded(),
      published(),
      { type: 'TitleUnpublished', data: { titleId, encodingId: 'e1', at } },
    ])
      .when({ type: 'PublishTitle', at })
      .then([published()]));
});

describe('episodes', () => {
  const episodeOf = { seriesId: 's1', season: 1, episode: 2 };
  it('creates a title that is an episode, naming its series and place', () =>
    given([])
      .when({ type: 'CreateTitle', titleId, ...metadata, episodeOf, at })
      .then([{ type: 'TitleCreated', data: { titleId, ...metadata, episodeOf, at } }]));
  it('refuses a place that cannot be, saying which field', () =>
    given([])
      .when({ type: 'CreateTitle', titleId, ...metadata, episodeOf: { ...episodeOf, season: 0 }, at })
      .thenThrows(InvalidTitleMetadata, /season/));
});

describe('intro and credits markers', () => {
  const encoded = [created, uploaded, started(), succeeded()];
  const intro = { startSeconds: 5, endSeconds: 20 };
  const credits = { startSeconds: 50, endSeconds: 60 };
  const markersSet = (markers: { intro: typeof intro | null; credits: typeof credits | null }): TitleEvent => ({
    type: 'TitleMarkersSet',
    data: { titleId, ...markers, at },
  });
  const proposed = (range = intro): TitleEvent => ({ type: 'IntroProposed', data: { titleId, intro: range, at } });

  it('sets the intro and credits', () =>
    given(encoded)
      .when({ type: 'SetMarkers', intro, credits, at })
      .then([markersSet({ intro, credits })]));
  it('sets markers before any encoding, unchecked against a duration not yet known', () =>
    given([created])
      .when({ type: 'SetMarkers', intro: null, credits: { startSeconds: 5000, endSeconds: 5100 }, at })
      .then([markersSet({ intro: null, credits: { startSeconds: 5000, endSeconds: 5100 } })]));
  it('records the same markers again as already done', () =>
    given([...encoded, markersSet({ intro, credits })])
      .when({ type: 'SetMarkers', intro, credits, at })
      .thenNothing());
  it('clears a marker with null', () =>
    given([...encoded, markersSet({ intro, credits })])
      .when({ type: 'SetMarkers', intro, credits: null, at })
      .then([markersSet({ intro, credits: null })]));
  it('refuses a range that ends before it starts, naming the field', () =>
    given(encoded)
      .when({ type: 'SetMarkers', intro: { startSeconds: 20, endSeconds: 5 }, credits: null, at })
      .thenThrows(InvalidMarkers, /intro: must end after it starts/));
  it("refuses a range past the end of the title's encoding", () =>
    given(encoded)
      .when({ type: 'SetMarkers', intro: null, credits: { startSeconds: 50, endSeconds: 90 }, at })
      .thenThrows(InvalidMarkers, /credits: must end within the title's 60 s/));
  it('refuses an intro that ends after the credits start', () =>
    given(encoded)
      .when({ type: 'SetMarkers', intro: { startSeconds: 5, endSeconds: 55 }, credits, at })
      .thenThrows(InvalidMarkers, /credits: must start after the intro ends/));
  it('refuses a title that does not exist', () =>
    given([]).when({ type: 'SetMarkers', intro, credits, at }).thenThrows(TitleNotFound));

  it("records intro detection's proposal, once", () => {
    given(encoded).when({ type: 'ProposeIntro', intro, at }).then([proposed()]);
    given([...encoded, proposed()])
      .when({ type: 'ProposeIntro', intro, at })
      .thenNothing();
  });
  it('refuses a proposal past the end of the title', () =>
    given(encoded)
      .when({ type: 'ProposeIntro', intro: { startSeconds: 5, endSeconds: 120 }, at })
      .thenThrows(InvalidMarkers));
  it('accepts the proposal as the intro, keeping the credits', () =>
    given([...encoded, markersSet({ intro: null, credits }), proposed()])
      .when({ type: 'AcceptIntroProposal', at })
      .then([markersSet({ intro, credits })]));
  it('accepting a proposal already taken adds nothing', () =>
    given([...encoded, proposed(), markersSet({ intro, credits: null })])
      .when({ type: 'AcceptIntroProposal', at })
      .thenNothing());
  it('refuses to accept when nothing was proposed', () =>
    given(encoded).when({ type: 'AcceptIntroProposal', at }).thenThrows(NoIntroProposal));
  it('refuses a proposal that overlaps the credits set since', () =>
    given([...encoded, proposed({ startSeconds: 5, endSeconds: 55 }), markersSet({ intro: null, credits })])
      .when({ type: 'AcceptIntroProposal', at })
      .thenThrows(InvalidMarkers, /credits: must start after the intro ends/));
});

describe('audio tracks, captions and revisions', () => {
  const french = { trackId: 'au1', language: 'fr', path: 'uploads/au1', sizeBytes: 500, sha256: sha, at };
  const audioAdded: TitleEvent = { type: 'AudioTrackAdded', data: { titleId, ...french } };
  const captions = (sha256 = sha, language = 'en') => ({
    language,
    path: `captions/${sha256}.vtt`,
    sha256,
    cueCount: 12,
    at,
  });
  const captionsAdded = (sha256 = sha, language = 'en'): TitleEvent => ({
    type: 'CaptionsAdded',
    data: { titleId, ...captions(sha256, language) },
  });
  const tracks = {
    audio: [{ language: 'en', trackId: null }],
    captions: [{ language: 'en', sha256: sha }],
    thumbnails: { intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 },
  };
  const revisionStarted: TitleEvent = {
    type: 'EncodingStarted',
    data: { titleId, encodingId: 'e2', uploadId: 'u1', revisionOf: 'e1', at },
  };
  const revised = { ...result, manifestPath: 't1/e2/manifest.mpd', tracks };

  it('records a retried upload of an audio track once, even after a newer one replaced it', () => {
    const newer: TitleEvent = { type: 'AudioTrackAdded', data: { titleId, ...french, trackId: 'au2' } };
    given([created, audioAdded, newer])
      .when({ type: 'AddAudioTrack', ...french })
      .thenNothing();
  });
  it('keeps the newest encoding the latest when a revision of an older one succeeds after it', () => {
    const newerEncode: TitleEvent[] = [
      { type: 'EncodingStarted', data: { titleId, encodingId: 'e3', uploadId: 'u1', at } },
      { type: 'EncodingSucceeded', data: { titleId, encodingId: 'e3', ...result, manifestPath: 't1/e3/manifest.mpd' } },
    ];
    const revisedLate: TitleEvent = { type: 'EncodingSucceeded', data: { titleId, encodingId: 'e2', ...revised } };
    const state = foldEvents(titleDecider, [
      created,
      uploaded,
      started(),
      succeeded(),
      revisionStarted,
      ...newerEncode,
      revisedLate,
    ]);
    expect(latestEncoding(state)?.encodingId).toBe('e3');
    const inOrder = foldEvents(titleDecider, [created, uploaded, started(), succeeded(), revisionStarted, revisedLate]);
    expect(latestEncoding(inOrder)?.encodingId).toBe('e2');
  });
  it('adds an audio track once, however often its upload is recorded', () => {
    given([created])
      .when({ type: 'AddAudioTrack', ...french })
      .then([audioAdded]);
    given([created, audioAdded])
      .when({ type: 'AddAudioTrack', ...french })
      .thenNothing();
  });
  it('adds captions, and a file already there in that language again adds nothing', () => {
    given([created])
      .when({ type: 'AddCaptions', ...captions() })
      .then([captionsAdded()]);
    given([created, captionsAdded()])
      .when({ type: 'AddCaptions', ...captions() })
      .thenNothing();
    given([created, captionsAdded()])
      .when({ type: 'AddCaptions', ...captions('b'.repeat(64)) })
      .then([captionsAdded('b'.repeat(64))]);
  });
  it('keeps one set of captions per language, the newest', () => {
    const state = foldEvents(titleDecider, [
      created,
      captionsAdded(),
      captionsAdded('b'.repeat(64)),
      captionsAdded(sha, 'fr'),
    ]);
    expect(state.status === 'created' && state.captions.map((c) => [c.language, c.sha256[0]])).toEqual([
      ['en', 'b'],
      ['fr', 'a'],
    ]);
  });
  it('starts a revision of a succeeded encoding only', () => {
    given([created, uploaded, started(), succeeded()])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e2', uploadId: 'u1', revisionOf: 'e1', at })
      .then([revisionStarted]);
    given([created, uploaded, started()])
      .when({ type: 'RecordEncodingStarted', encodingId: 'e2', uploadId: 'u1', revisionOf: 'e1', at })
      .thenThrows(EncodingNotFound);
  });
  it('puts a revision of the published encoding live as it succeeds', () =>
    given([created, uploaded, started(), succeeded(), published(), captionsAdded(), revisionStarted])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e2', ...revised })
      .then([{ type: 'EncodingSucceeded', data: { titleId, encodingId: 'e2', ...revised } }, published('e2')]));
  it('leaves an unpublished title unpublished when its revision succeeds', () =>
    given([created, uploaded, started(), succeeded(), captionsAdded(), revisionStarted])
      .when({ type: 'RecordEncodingSucceeded', encodingId: 'e2', ...revised })
      .then([{ type: 'EncodingSucceeded', data: { titleId, encodingId: 'e2', ...revised } }]));
  it('says whether an encoding lacks the tracks the title has', () => {
    const withTracks: TitleEvent = {
      type: 'EncodingSucceeded',
      data: { titleId, encodingId: 'e1', ...result, tracks },
    };
    const lacks = (events: TitleEvent[]) => {
      const state = foldEvents(titleDecider, events);
      const latest = latestEncoding(state);
      return latest !== null && encodingLacksTracks(state, latest);
    };
    expect(lacks([created, uploaded, started(), withTracks, captionsAdded()])).toBe(false);
    expect(lacks([created, uploaded, started(), withTracks, captionsAdded('b'.repeat(64))])).toBe(true);
    expect(lacks([created, uploaded, started(), withTracks, captionsAdded(), audioAdded])).toBe(true);
    expect(lacks([created, uploaded, started(), succeeded()])).toBe(false);
  });
});
