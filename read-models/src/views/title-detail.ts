import {
  definedChanges,
  ladderRung,
  type PackageTracks,
  packageIndexSummary,
  packageTracks,
  sourceProbe,
  titleMetadata,
} from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';
import { episodePlaceOrNull, markerSpan, playableTracks, playableTracksOf } from './title-fields';

export const encodingDetail = z.object({
  encodingId: z.string(),
  uploadId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  ladder: z.array(ladderRung),
  manifestPath: z.string().nullable(),
  packageIndex: packageIndexSummary.nullable(),
  encodeSeconds: z.number().nullable(),
  reason: z.string().nullable(),
  revisionOf: z
    .string()
    .nullable()
    .describe('The encoding this one revises (same video, new audio or captions); null for an encode of an upload.'),
  tracks: packageTracks
    .nullable()
    .describe(
      "The package's audio tracks, captions and seek previews once it succeeded; null before, or for one made before tracks existed.",
    ),
});
export type EncodingDetail = z.infer<typeof encodingDetail>;

/** Captions as uploaded; `pending` until the title's package carries this file. */
export const captionsDetail = z.object({
  language: z.string(),
  sha256: z.string(),
  cueCount: z.number(),
  at: z.string(),
  pending: z
    .boolean()
    .describe('Not in the package viewers get (the published encoding, else the latest that succeeded) yet.'),
});
/** An audio track uploaded on its own; `pending` until the title's package carries it. */
export const audioTrackDetail = z.object({
  trackId: z.string(),
  language: z.string(),
  at: z.string(),
  pending: z
    .boolean()
    .describe('Not in the package viewers get (the published encoding, else the latest that succeeded) yet.'),
});

/** Where a title is in its life: what the content team should look at. */
export const titleStatuses = ['draft', 'uploaded', 'encoding', 'encoded', 'encoding-failed', 'published'] as const;

/** Everything the content team needs about one title, published or not. */
export const titleDetailDocument = titleMetadata.extend({
  titleId: z.string(),
  status: z.enum(titleStatuses).describe('What the content team should look at: where the title is in its life.'),
  createdAt: z.string(),
  updatedAt: z.string(),
  uploads: z.array(
    z.object({
      uploadId: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
      probe: sourceProbe,
      audioLanguages: z
        .array(z.string().nullable())
        .nullable()
        .describe("The languages of the source's audio streams as the content team gave them; null when not given."),
      at: z.string(),
    }),
  ),
  encodings: z.array(encodingDetail),
  published: z
    .object({ encodingId: z.string(), manifestPath: z.string(), at: z.string(), ...playableTracks.shape })
    .nullable(),
  captions: z.array(captionsDetail).describe('The latest captions per language, in the order first added.'),
  audioTracks: z
    .array(audioTrackDetail)
    .describe('The latest uploaded audio track per language, in the order first added.'),
  episodeOf: episodePlaceOrNull,
  markers: z
    .object({ intro: markerSpan.nullable(), credits: markerSpan.nullable() })
    .describe('Where the intro and the credits are, as the content team set or accepted them.'),
  introProposal: markerSpan.nullable().describe('Where intro detection found the intro, for the team to accept.'),
});
export type TitleDetail = z.infer<typeof titleDetailDocument>;

const statusOf = (detail: Omit<TitleDetail, 'status'>): TitleDetail['status'] => {
  if (detail.published) return 'published';
  const latest = detail.encodings.at(-1);
  if (latest?.status === 'running') return 'encoding';
  if (detail.encodings.some((e) => e.status === 'succeeded')) return 'encoded';
  if (latest?.status === 'failed') return 'encoding-failed';
  return detail.uploads.length > 0 ? 'uploaded' : 'draft';
};

/** The package viewers get: the published encoding's, else the latest that succeeded. */
const currentTracks = (detail: Omit<TitleDetail, 'status'>): PackageTracks | null => {
  const current = detail.published
    ? detail.encodings.find((e) => e.encodingId === detail.published?.encodingId)
    : detail.encodings.findLast((e) => e.status === 'succeeded');
  return current?.tracks ?? null;
};
const withPending = (detail: Omit<TitleDetail, 'status'>): Omit<TitleDetail, 'status'> => {
  const tracks = currentTracks(detail);
  const captions = detail.captions.map((c) => ({
    ...c,
    pending: !tracks?.captions.some((p) => p.language === c.language && p.sha256 === c.sha256),
  }));
  const audioTracks = detail.audioTracks.map((a) => ({
    ...a,
    pending: !tracks?.audio.some((p) => p.trackId === a.trackId),
  }));
  return { ...detail, captions, audioTracks };
};
const withStatus = (detail: Omit<TitleDetail, 'status'>, at: string): TitleDetail => {
  const settled = withPending(detail);
  return { ...settled, updatedAt: at, status: statusOf(settled) };
};
/** Replaces the entry of the same language in place, or adds it last. */
const latestPerLanguage = <Item extends { language: string }>(items: readonly Item[], item: Item) =>
  items.some((i) => i.language === item.language)
    ? items.map((i) => (i.language === item.language ? item : i))
    : [...items, item];
const updateEncoding = (detail: TitleDetail, encodingId: string, change: Partial<EncodingDetail>) =>
  detail.encodings.map((e) => (e.encodingId === encodingId ? { ...e, ...change } : e));

export const titleDetail = defineProjection<
  TitleDetail,
  | 'TitleCreated'
  | 'TitleMetadataUpdated'
  | 'SourceUploaded'
  | 'EncodingStarted'
  | 'EncodingSucceeded'
  | 'EncodingFailed'
  | 'TitlePublished'
  | 'TitleUnpublished'
  | 'TitleMarkersSet'
  | 'IntroProposed'
  | 'CaptionsAdded'
  | 'AudioTrackAdded'
>({
  name: 'title-detail',
  version: 3,
  eventTypes: [
    'TitleCreated',
    'TitleMetadataUpdated',
    'SourceUploaded',
    'EncodingStarted',
    'EncodingSucceeded',
    'EncodingFailed',
    'TitlePublished',
    'TitleUnpublished',
    'TitleMarkersSet',
    'IntroProposed',
    'CaptionsAdded',
    'AudioTrackAdded',
  ],
  collection: { indexes: { status: 'value', genres: 'array' }, sortFields: ['updatedAt', 'name'], textField: 'name' },
  key: (event) => event.data.titleId,
  evolve: (detail, event) => {
    const { at } = event.data;
    if (event.type === 'TitleCreated') {
      const { titleId, name, synopsis, genres, year, maturityRating, episodeOf } = event.data;
      return withStatus(
        {
          titleId,
          name,
          synopsis,
          genres,
          year,
          maturityRating,
          createdAt: at,
          updatedAt: at,
          uploads: [],
          encodings: [],
          published: null,
          captions: [],
          audioTracks: [],
          episodeOf: episodeOf ?? null,
          markers: { intro: null, credits: null },
          introProposal: null,
        },
        at,
      );
    }
    if (!detail) return null;
    switch (event.type) {
      case 'TitleMetadataUpdated': {
        const { titleId: _, at: __, ...changes } = event.data;
        return withStatus({ ...detail, ...definedChanges(changes) }, at);
      }
      case 'SourceUploaded': {
        const { uploadId, sizeBytes, sha256, probe, audioLanguages } = event.data;
        const upload = { uploadId, sizeBytes, sha256, probe, audioLanguages: audioLanguages ?? null, at };
        return withStatus({ ...detail, uploads: [...detail.uploads, upload] }, at);
      }
      case 'EncodingStarted': {
        const { encodingId, uploadId, revisionOf } = event.data;
        const encoding: EncodingDetail = {
          encodingId,
          uploadId,
          status: 'running',
          startedAt: at,
          finishedAt: null,
          ladder: [],
          manifestPath: null,
          packageIndex: null,
          encodeSeconds: null,
          reason: null,
          revisionOf: revisionOf ?? null,
          tracks: null,
        };
        return withStatus({ ...detail, encodings: [...detail.encodings, encoding] }, at);
      }
      case 'EncodingSucceeded': {
        const { encodingId, ladder, manifestPath, packageIndex, encodeSeconds, tracks } = event.data;
        const encodings = updateEncoding(detail, encodingId, {
          status: 'succeeded',
          finishedAt: at,
          ladder,
          manifestPath,
          packageIndex,
          encodeSeconds,
          tracks: tracks ?? null,
        });
        return withStatus({ ...detail, encodings }, at);
      }
      case 'EncodingFailed': {
        const { encodingId, reason } = event.data;
        const encodings = updateEncoding(detail, encodingId, { status: 'failed', finishedAt: at, reason });
        return withStatus({ ...detail, encodings }, at);
      }
      case 'TitlePublished': {
        // A revision of the published encoding is published as it succeeds: its tracks replace the old ones here.
        const { encodingId, manifestPath } = event.data;
        const tracks = detail.encodings.find((e) => e.encodingId === encodingId)?.tracks;
        return withStatus({ ...detail, published: { encodingId, manifestPath, at, ...playableTracksOf(tracks) } }, at);
      }
      case 'TitleUnpublished':
        return withStatus({ ...detail, published: null }, at);
      case 'TitleMarkersSet':
        return withStatus({ ...detail, markers: { intro: event.data.intro, credits: event.data.credits } }, at);
      case 'IntroProposed':
        return withStatus({ ...detail, introProposal: event.data.intro }, at);
      case 'CaptionsAdded': {
        const { language, sha256, cueCount } = event.data;
        const captions = latestPerLanguage(detail.captions, { language, sha256, cueCount, at, pending: true });
        return withStatus({ ...detail, captions }, at);
      }
      case 'AudioTrackAdded': {
        const { trackId, language } = event.data;
        const audioTracks = latestPerLanguage(detail.audioTracks, { trackId, language, at, pending: true });
        return withStatus({ ...detail, audioTracks }, at);
      }
    }
  },
});
