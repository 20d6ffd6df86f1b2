import { refusal } from '../errors';

export class TitleNotFound extends refusal('not_found', (titleId?: string) => [
  titleId ? `There is no title ${titleId}.` : 'There is no such title.',
  { titleId: titleId ?? null },
]) {}
export class TitleAlreadyExists extends refusal('conflict', (titleId: string) => [
  `Title ${titleId} already exists; update its metadata instead.`,
  { titleId },
]) {}
export class InvalidTitleMetadata extends refusal('invalid', (problems: { field: string; message: string }[]) => [
  `The title's metadata is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
  { problems },
]) {}
export class NothingToUpdate extends refusal('invalid', () => ['The update names no metadata field to change.']) {}
export class SourceNotFound extends refusal('not_found', (uploadId: string) => [
  `Upload ${uploadId} was never recorded for this title; upload the source first.`,
  { uploadId },
]) {}
export class EncodingNotFound extends refusal('not_found', (encodingId: string) => [
  `Encoding ${encodingId} was never started for this title.`,
  { encodingId },
]) {}
export class EncodingAlreadyFinished extends refusal(
  'conflict',
  (encodingId: string, status: 'succeeded' | 'failed') => [
    `Encoding ${encodingId} has already ${status}; start a new encoding instead.`,
    { encodingId, status },
  ],
) {}
export class TitleNotEncoded extends refusal('conflict', (titleId: string, why: string) => [
  `Title ${titleId} cannot be published yet: ${why}.`,
  { titleId },
]) {}
export class TitleAlreadyPublished extends refusal('conflict', (titleId: string, encodingId: string) => [
  `Title ${titleId} is already published with its latest encoding (${encodingId}).`,
  { titleId, encodingId },
]) {}
export class TitleNotPublished extends refusal('conflict', (titleId: string) => [
  `Title ${titleId} is not published.`,
  { titleId },
]) {}
export class InvalidMarkers extends refusal('invalid', (problems: { field: string; message: string }[]) => [
  `The intro and credits markers are not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
  { problems },
]) {}
export class NoIntroProposal extends refusal('conflict', (titleId: string) => [
  `Intro detection has proposed no intro for title ${titleId} yet; set the intro by hand instead.`,
  { titleId },
]) {}
export class InvalidCaptions extends refusal('invalid', (line: number, problem: string) => [
  `The captions cannot be read: line ${line}: ${problem}.`,
  { line },
]) {}
export class UnusableAudioTrack extends refusal('invalid', (problem: string) => [
  `The audio track cannot be used: ${problem}.`,
]) {}
