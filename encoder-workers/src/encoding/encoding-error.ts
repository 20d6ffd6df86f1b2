/**
 * Why an encoding produced no package. `reason` is written for the content team (it becomes
 * EncodingFailed's reason); `kind` tells a job whether trying again could help.
 */
export type EncodingFailureKind =
  /** The source itself is the problem (no video, unreadable); retrying will fail the same way. */
  | 'unusable-source'
  /** ffmpeg or the disk failed; worth a retry, and worth an operator's look if it repeats. */
  | 'encoder-failed'
  | 'cancelled';

export class EncodingError extends Error {
  readonly code = 'EncodingError';
  constructor(
    readonly kind: EncodingFailureKind,
    readonly reason: string,
    /** The last lines ffmpeg wrote to stderr, for operators. */
    readonly log: readonly string[] = [],
  ) {
    super(`The encoding failed: ${reason}.`);
    this.name = 'EncodingError';
  }
}

export const isEncodingError = (error: unknown): error is EncodingError => error instanceof EncodingError;
