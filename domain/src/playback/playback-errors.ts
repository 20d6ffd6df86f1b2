import { refusal } from '../errors';

export class TitleUnavailable extends refusal('conflict', (titleId: string) => [
  'This title is no longer available to watch.',
  { titleId },
]) {}
export class SessionNotFound extends refusal('not_found', (sessionId: string) => [
  `There is no playback session ${sessionId}.`,
  { sessionId },
]) {}
export class SessionAlreadyStarted extends refusal('conflict', (sessionId: string) => [
  `Playback session ${sessionId} has already started; start a new session instead.`,
  { sessionId },
]) {}
export class SessionStopped extends refusal('conflict', (sessionId: string) => [
  `Playback session ${sessionId} has stopped; start playback again.`,
  { sessionId },
]) {}
export class PositionOutOfRange extends refusal('invalid', (positionSeconds: number, durationSeconds: number) => [
  `Position ${positionSeconds} s is outside the title, which lasts ${durationSeconds} s.`,
  { positionSeconds, durationSeconds },
]) {}
export class NotAPlaybackParticipant extends refusal('not_found', (sessionId: string) => [
  `Playback session ${sessionId} does not belong to this profile.`,
  { sessionId },
]) {}
