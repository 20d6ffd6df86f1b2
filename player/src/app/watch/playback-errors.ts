/*
 * What a viewer is told when playback cannot start or cannot go on, chosen by the API's
 * stable error code (never by parsing its message). Each says what happened and what to do.
 */

export type PlaybackProblem = {
  kind: 'stream-limit' | 'unavailable' | 'session-expired' | 'subscription' | 'signed-out' | 'network' | 'other';
  title: string;
  message: string;
  /** What the viewer can do next: try again, go back to browsing, or log in. */
  action: 'retry' | 'browse' | 'log-in';
};

type ErrorLike = { status?: number; code?: string; message?: string };

export const describePlaybackProblem = (error: ErrorLike): PlaybackProblem => {
  switch (error.code) {
    case 'StreamLimitReached':
      return {
        kind: 'stream-limit',
        title: 'Too many screens',
        message:
          error.message ??
          'Your plan’s streams are all in use. Stop watching on another device, or upgrade your plan, then try again.',
        action: 'retry',
      };
    case 'TitleUnavailable':
    case 'TitleNotFound':
    case 'TitleNotPublished':
      return {
        kind: 'unavailable',
        title: 'No longer available',
        message: 'This title is no longer available to watch. Pick something else from the catalog.',
        action: 'browse',
      };
    case 'AboveMaturityLevel':
      return {
        kind: 'unavailable',
        title: 'Not for this profile',
        message: 'This title is rated above this profile’s maturity level. Pick something else, or change profile.',
        action: 'browse',
      };
    case 'PlaybackSessionExpired':
    case 'SessionStopped':
    case 'SessionNotFound':
      return {
        kind: 'session-expired',
        title: 'Your session expired',
        message:
          'Playback paused for too long, or was stopped elsewhere, and your viewing session ended. Press play to start again where you left off.',
        action: 'retry',
      };
    case 'SubscriptionNotActive':
      return {
        kind: 'subscription',
        title: 'No active subscription',
        message: 'Your account has no active subscription. Start one to watch.',
        action: 'browse',
      };
    case 'ProfileNotFound':
      return {
        kind: 'other',
        title: 'Profile not found',
        message: 'This profile is not on your account any more. Pick a profile and try again.',
        action: 'browse',
      };
    case 'NetworkError':
      return {
        kind: 'network',
        title: 'Connection lost',
        message: 'Marquee cannot be reached right now. Check your connection and try again.',
        action: 'retry',
      };
    default:
      if (error.status === 401)
        return {
          kind: 'signed-out',
          title: 'Please log in again',
          message: 'Your login has expired. Log in again to keep watching.',
          action: 'log-in',
        };
      return {
        kind: 'other',
        title: 'Playback failed',
        message: error.message ?? 'Something went wrong while starting playback. Try again.',
        action: 'retry',
      };
  }
};

/** A dash.js error that ends playback, in the viewer's words. */
export const describePlayerFailure = (detail: string): PlaybackProblem => ({
  kind: 'network',
  title: 'The video stopped',
  message: `The video could not be loaded from any of our servers (${detail}). Try again in a moment.`,
  action: 'retry',
});
