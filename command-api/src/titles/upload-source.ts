import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { isDomainError, sourceProbe, streamName, TitleNotFound, titleDecider } from '@marquee/domain';
import {
  aggregateStream,
  authenticate,
  describeError,
  Forbidden,
  InvalidRequest,
  PayloadTooLarge,
  ServiceUnavailable,
  Unprocessable,
  UnsupportedMediaType,
} from '@marquee/platform';
import { IoRedisKvStore, type KvStore, type Upload } from '@tus/utils';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type CommandApiContext, defineCommand } from '../command-operation';
import { type CommandRequest, newId } from '../command-request';
import type { CommandContext } from '../context';
import { onTitle } from './title-commands';
import { NotAVideo, probeSource } from './uploads/probe-source';
import { EmptyUpload, receiveUpload, UploadTooLarge } from './uploads/receive-upload';
import { sweepUploads } from './uploads/sweep-uploads';
import { createTusUploads, type TusUploadsOptions } from './uploads/tus-uploads';

/*
 * A source reaches a title two ways: a streaming PUT for scripts, and tus resumable uploads for
 * large files over bad links. Either way the file is on disk with its sha256 before anything
 * else happens; ffprobe must find a video with a duration in it, or the file is removed and
 * the answer is 422 with the reason; only then is SourceUploaded appended.
 */

const assertTitleExists = async (context: CommandContext, titleId: string) => {
  const { state } = await aggregateStream(
    context.eventStore,
    streamName('title', titleId),
    titleDecider,
    context.aggregates,
  );
  if (state.status !== 'created') throw new TitleNotFound(titleId);
};

/**
 * Probes the file on disk and records it on the title, or removes it and refuses it. A file that
 * met a passing failure (a busy store) stays, and the caller hears 503: the same upload sent
 * again records it once (the decider knows an upload id it recorded, and event ids derive from it).
 */
const recordSource = async (
  context: CommandApiContext,
  request: CommandRequest,
  titleId: string,
  upload: { uploadId: string; path: string; sizeBytes: number; sha256: string },
) => {
  try {
    const probe = await probeSource(upload.path);
    await onTitle(context, request, titleId, { type: 'RecordSourceUpload', ...upload, probe, at: request.at });
    return { titleId, ...upload, probe };
  } catch (error) {
    if (error instanceof NotAVideo || isDomainError(error)) await rm(upload.path, { force: true });
    if (error instanceof NotAVideo)
      throw new Unprocessable(`The upload is not a video Marquee can encode: ${error.reason}.`, {
        code: 'NotAVideo',
        details: { reason: error.reason },
      });
    if (describeError(error)) throw error;
    context.logger.warn({ err: error, titleId, uploadId: upload.uploadId }, 'an upload was not recorded');
    throw new ServiceUnavailable(
      'The file arrived but could not be recorded on the title just now (the event store did not take it); send it again, with the same Idempotency-Key, and it is recorded once.',
      { code: 'SourceNotRecorded', details: { titleId } },
    );
  }
};

const acceptedTypes = /^(video\/[\w.+-]+|application\/octet-stream)(;.*)?$/i;

export const uploadSourceOperation = defineCommand({
  method: 'put',
  path: '/titles/:titleId/source',
  summary: "Upload a title's source video in one streaming request",
  description:
    'Send the file as the body with Content-Type video/* or application/octet-stream. For large files over unreliable links use the tus endpoint /titles/uploads instead.',
  access: ['content'],
  params: z.strictObject({ titleId: z.string().min(1).max(128) }),
  successStatus: 201,
  response: z.object({
    titleId: z.string(),
    uploadId: z.string(),
    path: z.string(),
    sizeBytes: z.number(),
    sha256: z.string(),
    probe: sourceProbe,
  }),
  errors: {
    413: 'The file is larger than the upload limit.',
    415: 'Not a video content type.',
    422: 'Not a video with a duration (the reason says what ffprobe found).',
    503: 'The file arrived but was not recorded (SourceNotRecorded): send it again with the same Idempotency-Key.',
  },
  handle: async ({ context, params, req }, request) => {
    const type = req.headers['content-type'] ?? '';
    if (!acceptedTypes.test(type))
      throw new UnsupportedMediaType(
        `Send the video with Content-Type video/* or application/octet-stream, not "${type || 'none'}".`,
      );
    await assertTitleExists(context, params.titleId);
    const uploadId = newId(request, 'upload');
    const declared = Number(req.headers['content-length']);
    let received: Awaited<ReturnType<typeof receiveUpload>>;
    try {
      received = await receiveUpload(req, {
        directory: context.uploads.directory,
        maxBytes: context.uploads.maxBytes,
        uploadId,
        ...(Number.isFinite(declared) && { declaredBytes: declared }),
      });
    } catch (error) {
      if (error instanceof UploadTooLarge)
        throw new PayloadTooLarge(`The file is larger than the upload limit of ${error.maxBytes} bytes.`, {
          details: { maxBytes: error.maxBytes },
        });
      if (error instanceof EmptyUpload)
        throw new InvalidRequest([{ in: 'body', parameter: '', message: 'is empty: send the video file as the body' }]);
      throw error;
    }
    return recordSource(context, request, params.titleId, { uploadId, ...received });
  },
});

/** The tus endpoint: the title is named in the upload's metadata (`titleId`). */
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
    onUploadFinished: async (upload) => {
      const titleId = upload.metadata.titleId;
      if (!titleId) {
        await rm(upload.path, { force: true });
        return { status: 400, body: 'Name the title in the upload metadata: titleId.' };
      }
      try {
        await assertTitleExists(context, titleId);
        // Keyed by tus's upload id, so a retried finish records the same upload once, with the same event id.
        await recordSource(
          context,
          { at: context.now().toISOString(), idempotencyKey: `tus-upload\n${upload.id}`, requestId: upload.id },
          titleId,
          {
            uploadId: upload.id,
            path: upload.path,
            sizeBytes: upload.sizeBytes,
            sha256: upload.sha256,
          },
        );
        return undefined;
      } catch (error) {
        if (error instanceof TitleNotFound) {
          await rm(upload.path, { force: true });
          return { status: 404, body: error.message };
        }
        if (error instanceof Unprocessable) return { status: 422, body: error.message };
        throw error;
      }
    },
  });

/** Where every instance keeps the tus uploads' records: in Redis, beside the kept answers. */
export const openUploadRecords = (redis: Redis, keyPrefix: string): KvStore<Upload> =>
  new IoRedisKvStore<Upload>(redis, `${keyPrefix}tus-upload:`);

/** Removes the uploads that expired unfinished (see sweep-uploads.ts); a source on a title stays. */
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
      return state.status === 'created' && state.uploads.some((upload) => upload.uploadId === record.id);
    },
  });
