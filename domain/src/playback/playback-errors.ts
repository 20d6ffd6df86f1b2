import { DomainError } from '../errors';

export class TitleUnavailable extends DomainError {
  readonly code = 'TitleUnavailable';
  readonly kind = 'conflict';
  constructor(titleId: string) {
    super('This title is no longer available to watch.', { titleId });
  }
}
export class SessionNotFound extends DomainError {
  readonly code = 'SessionNotFound';
  readonly kind = 'not_found';
  constructor(sessionId: string) {
    super(`There is no playback session ${sessionId}.`, { sessionId });
  }
}
export class SessionAlreadyStarted extends DomainError {
  readonly code = 'SessionAlreadyStarted';
  readonly kind = 'conflict';
  constructor(sessionId: string) {
    super(`Playback session ${sessionId} has already started; start a new session instead.`, { sessionId });
  }
}
export class SessionStopped extends DomainError {
  readonly code = 'SessionStopped';
  readonly kind = 'conflict';
  constructor(sessionId: string) {
    super(`Playback session ${sessionId} has stopped; start playback again.`, { sessionId });
  }
}
export class PositionOutOfRange extends DomainError {
  readonly code = 'PositionOutOfRange';
  readonly kind = 'invalid';
  constructor(positionSeconds: number, durationSeconds: number) {
    super(`Position ${positionSeconds} s is outside the title, which lasts ${durationSeconds} s.`, {
      positionSeconds,
      durationSeconds,
    });
  }
}
export class NotAPlaybackParticipant extends DomainError {
  readonly code = 'NotAPlaybackParticipant';
  readonly kind = 'not_found';
  constructor(sessionId: string) {
    super(`Playback session ${sessionId} does not belong to this profile.`, { sessionId });
  }
}
