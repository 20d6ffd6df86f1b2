import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import {
  isDomainError,
  languageInput,
  type SourceProbe,
  sourceProbe,
  streamName,
  TitleNotFound,
  titleDecider,
} from '@marquee/domain';
import {
  aggregateStream,
  describeError,
  InvalidRequest,
  PayloadTooLarge,
  ServiceUnavailable,
  Unprocessable,
  UnsupportedMediaType,
} from '@marquee/platform';
import { z } from 'zod';
import { type CommandApiContext, defineCommand } from '../command-operation';
import { type CommandRequest, newId } from '../command-request';
import type { CommandContext } from '../context';
import { onTitle } from './title-commands';
import { NotAVideo, probeSource } from './uploads/probe-source';
import { EmptyUpload, receiveUpload, UploadTooLarge } from './uploads/receive-upload';

/*
 * A source reaches a title two ways: a streaming PUT for scripts, and tus resumable uploads for
 * large files over bad links. Either way the file is on disk with its sha256 before anything
 * else happens; ffprobe must find a video with a duration in it, or the file is removed and
 * the answer is 422 with the reason; only then is SourceUploaded appended.
 */

export const assertTitleExists = async (context: CommandContext, titleId: string) => {
  const { state } = await aggregateStream(
    context.eventStore,
    streamName('title', titleId),
    titleDecider,
    context.aggregates,
  );
  if (state.status !== 'created') throw new TitleNotFound(titleId);
};

/**
 * The languages of a source's audio streams, in order, as the content team gives them:
 * `en,fr` (tags as people type them, read by the domain's `languageInput`), `und` for a stream
 * in no language or an unknown one.
 */
export const audioLanguagesInput = z
  .string()
  .max(1000)
  .transform((list) => list.split(',').map((tag) => tag.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .transform((tag) => (tag.toLowerCase() === 'und' ? null : tag))
          .pipe(languageInput.nullable()),
      )
      .min(1)
      .max(32),
  )
  .describe(
    'The languages of the source\'s audio streams, in order, comma-separated ("en,fr"; "und" for one in no language): they override the streams\' own tags.',
  );

/** The languages given must name each audio stream the probe found, no more, no fewer. */
const assertNamesEveryStream = (probe: SourceProbe, audioLanguages: (string | null)[] | undefined) => {
  const streams = probe.audioStreams?.length ?? 0;
  if (audioLanguages === undefined || audioLanguages.length === streams) return;
  throw new Unprocessable(
    `audioLanguages names ${audioLanguages.length} language(s), but the source has ${streams} audio stream(s): give one per stream, in order.`,
    { code: 'AudioLanguagesMismatch', details: { audioLanguages, audioStreams: streams } },
  );
};

/**
 * Probes the file on disk and records it on the title, or removes it and refuses it. A file that
 * met a passing failure (a busy store) stays, and the caller hears 503: the same upload sent
 * again records it once (the decider knows an upload id it recorded, and event ids derive from it).
 */
export const recordSource = async (
  context: CommandApiContext,
  request: CommandRequest,
  titleId: string,
  upload: { uploadId: string; path: string; sizeBytes: number; sha256: string },
  audioLanguages: (string | null)[] | undefined,
) => {
  try {
    const probe = await probeSource(upload.path);
    assertNamesEveryStream(probe, audioLanguages);
    const languages = audioLanguages === undefined ? {} : { audioLanguages };
    await onTitle(context, request, titleId, {
      type: 'RecordSourceUpload',
      ...upload,
      probe,
      ...languages,
      at: request.at,
    });
    return { titleId, ...upload, probe, ...languages };
  } catch (error) {
    if (error instanceof NotAVideo || error instanceof Unprocessable || isDomainError(error))
      await rm(upload.path, { force: true });
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

/** A streaming PUT's body on disk as the upload `uploadId`, or the 4xx that says why not. */
export const receiveRequestBody = async (context: CommandContext, req: IncomingMessage, uploadId: string) => {
  const declared = Number(req.headers['content-length']);
  try {
    return await receiveUpload(req, {
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
      throw new InvalidRequest([{ in: 'body', parameter: '', message: 'is empty: send the file as the body' }]);
    throw error;
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
  query: z.strictObject({ audioLanguages: audioLanguagesInput.optional() }),
  successStatus: 201,
  response: z.object({
    titleId: z.string(),
    uploadId: z.string(),
    path: z.string(),
    sizeBytes: z.number(),
    sha256: z.string(),
    probe: sourceProbe,
    audioLanguages: z.array(z.string().nullable()).optional(),
  }),
  errors: {
    413: 'The file is larger than the upload limit.',
    415: 'Not a video content type.',
    422:
      'Not a video with a duration (NotAVideo: the reason says what ffprobe found), or audioLanguages does not name ' +
      'each of its audio streams (AudioLanguagesMismatch).',
    503: 'The file arrived but was not recorded (SourceNotRecorded): send it again with the same Idempotency-Key.',
  },
  handle: async ({ context, params, query, req }, request) => {
    const type = req.headers['content-type'] ?? '';
    if (!acceptedTypes.test(type))
      throw new UnsupportedMediaType(
        `Send the video with Content-Type video/* or application/octet-stream, not "${type || 'none'}".`,
      );
    await assertTitleExists(context, params.titleId);
    const uploadId = newId(request, 'upload');
    const received = await receiveRequestBody(context, req, uploadId);
    return recordSource(context, request, params.titleId, { uploadId, ...received }, query.audioLanguages);
  },
});
