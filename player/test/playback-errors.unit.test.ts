import { describe, expect, it } from 'vitest';
import { describePlaybackProblem } from '../src/app/watch/playback-errors';
import { isRecoverablePlayerError, playerSettings } from '../src/app/watch/player-settings';

describe('what a viewer is told', () => {
  it('the plan’s stream limit: the API’s own message, and a retry', () => {
    const message =
      'Your basic plan allows 1 stream at a time, and it is in use. Stop playback on another device or upgrade your plan.';
    expect(describePlaybackProblem({ status: 409, code: 'StreamLimitReached', message })).toEqual({
      kind: 'stream-limit',
      title: 'Too many screens',
      message,
      action: 'retry',
    });
  });

  it('a title taken down, whichever way the API says it', () => {
    for (const [status, code] of [
      [409, 'TitleUnavailable'],
      [404, 'TitleNotFound'],
    ] as const)
      expect(describePlaybackProblem({ status, code, message: 'x' })).toMatchObject({
        kind: 'unavailable',
        message: 'This title is no longer available to watch. Pick something else from the catalog.',
        action: 'browse',
      });
  });

  it('a title above the profile’s maturity level sends the viewer back to browse, without retrying', () => {
    expect(
      describePlaybackProblem({ status: 409, code: 'AboveMaturityLevel', message: 'This title is rated 18+, …' }),
    ).toMatchObject({ kind: 'unavailable', title: 'Not for this profile', action: 'browse' });
  });

  it('a session that expired or was stopped', () => {
    for (const code of ['PlaybackSessionExpired', 'SessionStopped', 'SessionNotFound'])
      expect(describePlaybackProblem({ status: 409, code })).toMatchObject({
        kind: 'session-expired',
        action: 'retry',
      });
  });

  it('an expired login sends the viewer to log in', () => {
    expect(describePlaybackProblem({ status: 401, code: 'Unauthenticated' })).toMatchObject({
      kind: 'signed-out',
      action: 'log-in',
    });
  });

  it('anything else keeps the API’s message', () => {
    expect(describePlaybackProblem({ status: 500, code: 'InternalError', message: 'logged under r-1' })).toMatchObject({
      kind: 'other',
      message: 'logged under r-1',
    });
  });
});

describe('dash.js settings', () => {
  it('fail over fast: a failed segment or manifest goes to the next place at once, other requests are tried once more', () => {
    const { streaming } = playerSettings({ sessionId: 's-1', titleId: 't1' });
    expect(streaming.retryAttempts).toEqual({
      MPD: 0,
      MediaSegment: 0,
      InitializationSegment: 0,
      BitstreamSwitchingSegment: 0,
      IndexSegment: 0,
      other: 1,
    });
    expect(streaming.fragmentRequestTimeout).toBeLessThanOrEqual(4000);
  });

  it('a failed segment download is dash.js moving to the next place, not the end of playback', () => {
    expect([17, 27, 28].map(isRecoverablePlayerError)).toEqual([true, true, true]);
    expect([10, 19, 25, 35, undefined].map(isRecoverablePlayerError)).toEqual([false, false, false, false, false]);
  });
});
