import type { EncodingJob, TimeRange, TitleStatus } from '../api/types';

/** "Drama, science fiction ,, drama" → ["drama", "science fiction"]: trimmed, lower case, no repeats. */
export const parseGenres = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((genre) => genre.trim().toLowerCase())
      .filter(Boolean),
  ),
];

const ordinal = (n: number) => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
};

const aboutSeconds = (seconds: number) =>
  seconds < 90 ? `about ${Math.max(1, Math.round(seconds))} s left` : `about ${Math.round(seconds / 60)} min left`;

/** One encoding job in a sentence, for the content team. */
export const describeEncodingJob = (job: EncodingJob): string => {
  switch (job.state) {
    case 'waiting':
    case 'delayed':
      return job.queuePosition === null
        ? 'Waiting in the queue'
        : job.queuePosition === 1
          ? 'Next in the queue'
          : `Waiting: ${ordinal(job.queuePosition)} in the queue`;
    case 'active': {
      if (!job.progress) return 'Encoding: starting';
      const parts = [`Encoding: ${Math.floor(job.progress.percent)}%`];
      if (job.progress.speed > 0) parts.push(`${job.progress.speed.toFixed(1)}× real time`);
      if (job.progress.etaSeconds !== null) parts.push(aboutSeconds(job.progress.etaSeconds));
      return parts.join(' · ');
    }
    case 'completed':
      return 'Encoded';
    case 'failed':
      return `Failed${job.failedReason ? `: ${job.failedReason}` : ''}`;
    default:
      return 'Unknown state';
  }
};

export const statusLabels: Record<TitleStatus, string> = {
  draft: 'Draft: upload a source',
  uploaded: 'Source uploaded: waiting for the encoder',
  encoding: 'Encoding',
  encoded: 'Encoded: ready to publish',
  'encoding-failed': 'Encoding failed',
  published: 'Published',
};

/** Whether the title is still moving on its own (upload recorded, encoder working), so worth polling. */
export const isSettling = (status: TitleStatus): boolean => status === 'uploaded' || status === 'encoding';

/**
 * A marker from the form's two fields, in seconds: both empty is no marker; otherwise both must
 * be numbers from 0 with the end after the start. An error names the marker and what is wrong.
 */
export const parseMarker = (
  label: string,
  start: string,
  end: string,
): { range: TimeRange | null } | { error: string } => {
  if (start.trim() === '' && end.trim() === '') return { range: null };
  const startSeconds = Number(start);
  const endSeconds = Number(end);
  if (start.trim() === '' || end.trim() === '') return { error: `Give both the start and the end of the ${label}.` };
  if (!Number.isFinite(startSeconds) || !Number.isFinite(endSeconds) || startSeconds < 0 || endSeconds < 0)
    return { error: `The ${label}'s start and end are seconds from the title's start (0 or more).` };
  if (endSeconds <= startSeconds)
    return { error: `The ${label} must end after ${label === 'credits' ? 'they start' : 'it starts'}.` };
  return { range: { startSeconds, endSeconds } };
};

/** A marker as the form's field text: "" for none. */
export const markerFields = (range: TimeRange | null | undefined): { start: string; end: string } =>
  range ? { start: String(range.startSeconds), end: String(range.endSeconds) } : { start: '', end: '' };

/**
 * Why a captions file was refused, for the content team: the API's message, led by the line that
 * failed when it names one (422 InvalidCaptions, details.line).
 */
export const captionsRefusal = (refusal: { message: string; details?: unknown }): string => {
  const details = refusal.details as { line?: unknown } | null | undefined;
  const line = typeof details?.line === 'number' ? details.line : null;
  return line === null ? refusal.message : `Line ${line}: ${refusal.message}`;
};

/** "Revision of e-1: the video is reused, not encoded again", or null for an encoding made from a source. */
export const revisionNote = (encoding: { revisionOf?: string | null }): string | null =>
  encoding.revisionOf ? `Revision of ${encoding.revisionOf}: the video is reused, not encoded again` : null;
