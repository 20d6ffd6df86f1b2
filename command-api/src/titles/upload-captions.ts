import { languageInput, languageName } from '@marquee/domain';
import { UnsupportedMediaType } from '@marquee/platform';
import { z } from 'zod';
import { defineFileCommand } from '../command-operation';
import { type CaptionsFormat, readCaptions } from './captions/read-captions';
import { storeCaptions } from './captions/store-captions';
import { onTitle } from './title-commands';
import { assertTitleExists } from './upload-source';

/*
 * Captions in one language: the file is read and checked whole at the boundary (a file that does
 * not parse is refused with its line, and nothing is kept), stored by its content, then recorded
 * with AddCaptions. The same file again records nothing; another file in that language replaces it.
 */

export const maxCaptionsBytes = 2 * 1024 * 1024;

// Media types by what the file is; a type that says nothing of it is read by its content.
const formatsByType: Record<string, CaptionsFormat | 'by content'> = {
  'text/vtt': 'vtt',
  'application/x-subrip': 'srt',
  'application/srt': 'srt',
  'text/srt': 'srt',
  'text/x-srt': 'srt',
  'text/plain': 'by content',
  'application/octet-stream': 'by content',
};

const formatOf = (contentType: string | undefined): CaptionsFormat | undefined => {
  if (contentType === undefined || contentType.trim() === '') return undefined;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const format = formatsByType[mediaType];
  if (format === undefined)
    throw new UnsupportedMediaType(
      `Send captions as WebVTT (Content-Type: text/vtt) or SRT (application/x-subrip), not "${contentType}".`,
      { details: { contentType } },
    );
  return format === 'by content' ? undefined : format;
};

const captionsParams = z.strictObject({
  titleId: z.string().min(1).max(128),
  language: z
    .string()
    .max(64)
    .pipe(languageInput)
    .describe('The captions\' language as a BCP 47 tag ("en", "fr", "pt-BR"); ISO 639-2 ("fre") is read too.'),
});

export const captionsAnswer = z.object({
  titleId: z.string(),
  language: z.string().describe('The canonical tag.'),
  name: z.string().describe('The language\'s name, as a menu shows it ("French").'),
  cueCount: z.number().int().positive(),
  sha256: z.string().describe('Of the WebVTT kept (after an SRT is converted and line endings normalised).'),
});

export const uploadCaptionsOperation = defineFileCommand({
  method: 'put',
  path: '/titles/:titleId/captions/:language',
  summary: "Upload a title's captions in one language (WebVTT, or SRT converted to WebVTT)",
  description:
    'Send the file as the body: WebVTT with Content-Type text/vtt, SRT with application/x-subrip (or text/srt); ' +
    'with text/plain, application/octet-stream or none, a file starting with "WEBVTT" is read as WebVTT and any other as SRT. ' +
    `UTF-8, at most ${maxCaptionsBytes / (1024 * 1024)} MiB. The same file again changes nothing; another file in the same ` +
    'language replaces the captions. A published title shows them once its package is revised.',
  access: ['content'],
  params: captionsParams,
  bodyLimitBytes: maxCaptionsBytes,
  response: captionsAnswer,
  errors: {
    413: `The file is larger than ${maxCaptionsBytes / (1024 * 1024)} MiB.`,
    415: 'Not a captions content type.',
    422: 'The file does not parse (InvalidCaptions: the line and the problem, details.line), or the language is not a language tag.',
  },
  handle: async ({ context, params, req, rawBody }, request) => {
    const format = formatOf(req.headers['content-type']);
    await assertTitleExists(context, params.titleId);
    const captions = readCaptions(rawBody, format);
    const { path, sha256 } = await storeCaptions(context.uploads.directory, captions.text);
    const { titleId, language } = params;
    await onTitle(context, request, titleId, {
      type: 'AddCaptions',
      language,
      path,
      sha256,
      cueCount: captions.cueCount,
      at: request.at,
    });
    return { titleId, language, name: languageName(language), cueCount: captions.cueCount, sha256 };
  },
});
