import type { LadderRung, PackageIndexSummary, SourceProbe, TitleMetadata } from '@marquee/domain';
import { defineProjection } from '../projection';

export type EncodingDetail = {
  encodingId: string;
  uploadId: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  ladder: LadderRung[];
  manifestPath: string | null;
  packageIndex: PackageIndexSummary | null;
  encodeSeconds: number | null;
  reason: string | null;
};

/** Everything the content team needs about one title, published or not. */
export type TitleDetail = TitleMetadata & {
  titleId: string;
  /** What the content team should look at: where the title is in its life. */
  status: 'draft' | 'uploaded' | 'encoding' | 'encoded' | 'encoding-failed' | 'published';
  createdAt: string;
  updatedAt: string;
  uploads: { uploadId: string; sizeBytes: number; sha256: string; probe: SourceProbe; at: string }[];
  encodings: EncodingDetail[];
  published: { encodingId: string; manifestPath: string; at: string } | null;
};

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
>({
  name: 'title-detail',
  version: 1,
  eventTypes: [
    'TitleCreated',
    'TitleMetadataUpdated',
    'SourceUploaded',
    'EncodingStarted',
    'EncodingSucceeded',
    'EncodingFailed',
    'TitlePublished',
    'TitleUnpublished',
  ],
  collection: { indexes: { status: 'value', genres: 'array' }, sortFields: ['updatedAt', 'name'], textField: 'name' },
  key: (event) => event.data.titleId,
  evolve: (detail, event) => {
    const { at } = event.data;
    if (event.type === 'TitleCreated') {
      const { titleId, name, synopsis, genres, year, maturityRating } = event.data;
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
        },
        at,
      );
    }
    if (!detail) return null;
    switch (event.type) {
      case 'TitleMetadataUpdated': {
        const { titleId: _, at: __, ...changes } = event.data;
        return withStatus(
          { ...detail, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) },
          at,
        );
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
    }
  },
});
