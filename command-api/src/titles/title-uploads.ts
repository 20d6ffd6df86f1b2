import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { languageInput, streamName, titleDecider } from '@marquee/domain';
import { aggregateStream, authenticate, describeError, Forbidden } from '@marquee/platform';
import { IoRedisKvStore, type KvStore, type Upload } from '@tus/utils';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { CommandApiContext } from '../command-operation';
import type { CommandRequest } from '../command-request';
import type { CommandContext } from '../context';
import { recordAudioTrack } from './upload-audio-track';
import { assertTitleExists, audioLanguagesInput, recordSource } from './upload-source';
import { sweepUploads } from './uploads/sweep-uploads';
import { createTusUploads, type TusUploadsOptions } from './uploads/tus-uploads';

/*
 * The tus endpoint, for large files over links that drop. The upload's metadata says what it is:
 * `titleId`, and `kind`: `source` (the default; `audioLanguages=en,fr` names its audio streams)
 * or `audio` (an extra audio track, `language=fr`). It is checked when the upload is created,
 * so a mistake there is told before a byte is sent.
 */

const uploadMetadata = z.discriminatedUnion('kind', [
  z.object({
    titleId: z.string().min(1).max(128),
    kind: z.literal('source'),
    audioLanguages: audioLanguagesInput.optional(),
  }),
  z.object({ titleId: z.string().min(1).max(128), kind: z.literal('audio'), language: languageInput }),
]);
type UploadMetadata = z.output<typeof uploadMetadata>;

/** What the metadata says, or the problem to answer 400 with. */
const readMetadata = (metadata: Record<string, string>): UploadMetadata | string => {
  const parsed = uploadMetadata.safeParse({ ...metadata, kind: metadata.kind || 'source' });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'kind'}: ${issue.message}`);
  return `The upload metadata is not valid: ${problems.join('; ')}. Name the title (titleId) and what the file is (kind: source, or audio with its language).`;
};

const record = (
  context: CommandApiContext,
  request: CommandRequest,
  upload: UploadMetadata,
  file: Parameters<typeof recordSource>[3],
) =>
  upload.kind === 'audio'
    ? recordAudioTrack(context, request, upload.titleId, upload.language, file)
    : recordSource(context, request, upload.titleId, file, upload.audioLanguages);

export const createTitleUploads = (
  context: CommandApiContext,
  shared: Pick<TusUploadsOptions<IncomingMessage>, 'locker' | 'metadataStore'>,
) =>
  createTusUploads<IncomingMessage>({
    ...shared,
    logger: context.logger,
    directory: context.uploads.directory,
    maxBytes: context.uploads.maxBytes,
    expiryMs: context.uploads.expiryMs,
    now: context.now,
    path: '/titles/uploads',
    authorize: async (req) => {
      const caller = await authenticate(req.headers, context.access);
      if (caller.role !== 'content')
        throw new Forbidden('Uploads are for the content team: send its key in X-Api-Key.');
    },
    checkMetadata: (metadata) => {
      const read = readMetadata(metadata);
      return typeof read === 'string' ? read : undefined;
    },
    onUploadFinished: async (upload) => {
      const metadata = readMetadata(upload.metadata);
      if (typeof metadata === 'string') {
        await rm(upload.path, { force: true });
        return { status: 400, body: metadata };
      }
      try {
        await assertTitleExists(context, metadata.titleId);
        // Keyed by tus's upload id, so a retried finish records the same upload once, with the same event id.
        await record(
          context,
          { at: context.now().toISOString(), idempotencyKey: `tus-upload\n${upload.id}`, requestId: upload.id },
          metadata,
          { uploadId: upload.id, path: upload.path, sizeBytes: upload.sizeBytes, sha256: upload.sha256 },
        );
        return undefined;
      } catch (error) {
        // A refusal (no such title, not a video, no sound…) removes the file; anything else is passing.
        const refusal = describeError(error);
        if (refusal && refusal.status < 500) {
          await rm(upload.path, { force: true });
          return { status: refusal.status, body: refusal.body.message };
        }
        throw error;
      }
    },
  });

/** Where every instance keeps the tus uploads' records: in Redis, beside the kept answers. */
export const openUploadRecords = (redis: Redis, keyPrefix: string): KvStore<Upload> =>
  new IoRedisKvStore<Upload>(redis, `${keyPrefix}tus-upload:`);

/** Removes the uploads that expired unfinished (see sweep-uploads.ts); a source or an audio track on a title stays. */
export const sweepTitleUploads = (
  context: Pick<CommandContext, 'eventStore' | 'aggregates' | 'uploads'>,
  records: KvStore<Upload>,
  now: Date,
) =>
  sweepUploads({
    directory: context.uploads.directory,
    records,
    expiryMs: context.uploads.expiryMs,
    now,
    wasRecorded: async (record) => {
      const titleId = record.metadata?.titleId;
      if (!titleId) return false;
      const { state } = await aggregateStream(
        context.eventStore,
        streamName('title', titleId),
        titleDecider,
        context.aggregates,
      );
      return (
        state.status === 'created' &&
        (state.uploads.some((upload) => upload.uploadId === record.id) ||
          state.audioTracks.some((track) => track.trackId === record.id))
      );
    },
  });
