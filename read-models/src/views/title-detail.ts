import { definedChanges, ladderRung, packageIndexSummary, sourceProbe, titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';
import { episodePlaceOrNull, markerSpan } from './title-fields';

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
});
export type EncodingDetail = z.infer<typeof encodingDetail>;

/** Where a title is in its life: what the content team should look at. */
export const titleStatuses = ['draft', 'uploaded', 'encoding', 'encoded', 'encoding-failed', 'published'] as const;

/** Everything the content team needs about one title, published or not. */
export const titleDetailDocument = titleMetadata.extend({
  titleId: z.string(),
  status: z.enum(titleStatuses).describe('What the content team should look at: where the title is in its life.'),
  createdAt: z.string(),
  updatedAt: z.string(),
  uploads: z.array(
    z.object({ uploadId: z.string(), sizeBytes: z.number(), sha256: z.string(), probe: sourceProbe, at: z.string() }),
  ),
  encodings: z.array(encodingDetail),
  published: z.object({ encodingId: z.string(), manifestPath: z.string(), at: z.string() }).nullable(),
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
const withStatus = (detail: Omit<TitleDetail, 'status'>, at: string): TitleDetail => ({
  ...detail,
  updatedAt: at,
  status: statusOf(detail),
});
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
>({
  name: 'title-detail',
  version: 2,
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
        const { uploadId, sizeBytes, sha256, probe } = event.data;
        return withStatus({ ...detail, uploads: [...detail.uploads, { uploadId, sizeBytes, sha256, probe, at }] }, at);
      }
      case 'EncodingStarted': {
        const { encodingId, uploadId } = event.data;
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
        };
        return withStatus({ ...detail, encodings: [...detail.encodings, encoding] }, at);
      }
      case 'EncodingSucceeded': {
        const { encodingId, ladder, manifestPath, packageIndex, encodeSeconds } = event.data;
        const encodings = updateEncoding(detail, encodingId, {
          status: 'succeeded',
          finishedAt: at,
          ladder,
          manifestPath,
          packageIndex,
          encodeSeconds,
        });
        return withStatus({ ...detail, encodings }, at);
      }
      case 'EncodingFailed': {
        const { encodingId, reason } = event.data;
        const encodings = updateEncoding(detail, encodingId, { status: 'failed', finishedAt: at, reason });
        return withStatus({ ...detail, encodings }, at);
      }
      case 'TitlePublished': {
        const { encodingId, manifestPath } = event.data;
        return withStatus({ ...detail, published: { encodingId, manifestPath, at } }, at);
      }
      case 'TitleUnpublished':
        return withStatus({ ...detail, published: null }, at);
      case 'TitleMarkersSet':
        return withStatus({ ...detail, markers: { intro: event.data.intro, credits: event.data.credits } }, at);
      case 'IntroProposed':
        return withStatus({ ...detail, introProposal: event.data.intro }, at);
    }
  },
});
