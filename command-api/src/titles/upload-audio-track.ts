import { rm } from 'node:fs/promises';
import { isDomainError, languageInput, languageName, UnusableAudioTrack } from '@marquee/domain';
import { describeError, ServiceUnavailable, UnsupportedMediaType } from '@marquee/platform';
import { z } from 'zod';
import { type CommandApiContext, defineCommand } from '../command-operation';
import { type CommandRequest, newId } from '../command-request';
import { onTitle } from './title-commands';
import { assertTitleExists, receiveRequestBody } from './upload-source';
import { NoAudio, probeAudioTrack } from './uploads/probe-source';

/*
 * An extra audio track in one language (a dub, an audio description): by the streaming PUT here
 * or through tus (metadata kind=audio, language=<tag>). Either way the file is on disk with its
 * sha256 first; ffprobe must find sound in it (a picture beside it is ignored), or the file is
 * removed and the answer is 422 UnusableAudioTrack; only then is AudioTrackAdded appended.
 */

type ReceivedFile = { uploadId: string; path: string; sizeBytes: number; sha256: string };

export const recordAudioTrack = async (
  context: CommandApiContext,
  request: CommandRequest,
  titleId: string,
  language: string,
  file: ReceivedFile,
) => {
  try {
    const audio = await probeAudioTrack(file.path);
    const { uploadId: trackId, path, sizeBytes, sha256 } = file;
    await onTitle(context, request, titleId, {
      type: 'AddAudioTrack',
      trackId,
      language,
      path,
      sizeBytes,
      sha256,
      at: request.at,
    });
    const { codec, channels } = audio;
    return { titleId, trackId, language, name: languageName(language), sizeBytes, sha256, codec, channels };
  } catch (error) {
    if (error instanceof NoAudio || isDomainError(error)) await rm(file.path, { force: true });
    if (error instanceof NoAudio) throw new UnusableAudioTrack(error.reason);
    if (describeError(error)) throw error;
    context.logger.warn({ err: error, titleId, trackId: file.uploadId }, 'an audio track was not recorded');
    throw new ServiceUnavailable(
      'The file arrived but could not be recorded on the title just now (the event store did not take it); send it again, with the same Idempotency-Key, and it is recorded once.',
      { code: 'AudioTrackNotRecorded', details: { titleId } },
    );
  }
};

const acceptedTypes = /^(audio\/[\w.+-]+|video\/[\w.+-]+|application\/octet-stream)(;.*)?$/i;

export const uploadAudioTrackOperation = defineCommand({
  method: 'put',
  path: '/titles/:titleId/audio/:language',
  summary: 'Upload an audio track in one language (a dub, an audio description) in one streaming request',
  description:
    'Send the file as the body with Content-Type audio/*, video/* or application/octet-stream; its first audio stream ' +
    'is the track (a video stream in it is ignored). A later track in the same language replaces it. For large ' +
    'files over unreliable links use the tus endpoint /titles/uploads with metadata kind=audio and language=<tag>.',
  access: ['content'],
  params: z.strictObject({
    titleId: z.string().min(1).max(128),
    language: z
      .string()
      .max(64)
      .pipe(languageInput)
      .describe('The track\'s language as a BCP 47 tag ("en", "fr", "pt-BR"); ISO 639-2 ("fre") is read too.'),
  }),
  successStatus: 201,
  response: z.object({
    titleId: z.string(),
    trackId: z.string(),
    language: z.string().describe('The canonical tag.'),
    name: z.string().describe('The language\'s name, as a menu shows it ("French").'),
    sizeBytes: z.number(),
    sha256: z.string(),
    codec: z.string(),
    channels: z.number().nullable(),
  }),
  errors: {
    413: 'The file is larger than the upload limit.',
    415: 'Not an audio or video content type.',
    422: 'The file holds no audio stream ffprobe can read (UnusableAudioTrack: the reason says why).',
    503: 'The file arrived but was not recorded (AudioTrackNotRecorded): send it again with the same Idempotency-Key.',
  },
  handle: async ({ context, params, req }, request) => {
    const type = req.headers['content-type'] ?? '';
    if (!acceptedTypes.test(type))
      throw new UnsupportedMediaType(
        `Send the audio with Content-Type audio/*, video/* or application/octet-stream, not "${type || 'none'}".`,
      );
    await assertTitleExists(context, params.titleId);
    const uploadId = newId(request, 'upload');
    const received = await receiveRequestBody(context, req, uploadId);
    return recordAudioTrack(context, request, params.titleId, params.language, { uploadId, ...received });
  },
});
