/*
 * What the watch page offers around a title's intro and credits, as pure functions of the
 * playback time: "Skip intro" inside the intro, "Next episode" during the credits (or, with no
 * credits marked, the last seconds of an episode), and the countdown that starts the next
 * episode when this one ends (or its credits start) unless the viewer cancels it.
 */
import type { Markers } from '../api/types';

/** Without a credits marker, "Next episode" shows this long before the end. */
export const unmarkedCreditsSeconds = 10;
/** How long the "Next episode in N" countdown runs. */
export const nextEpisodeCountdownMs = 8_000;

export type TimingInput = {
  positionSeconds: number;
  /** The title's length; null while unknown. */
  durationSeconds: number | null;
  markers: Markers;
  hasNextEpisode: boolean;
};

/** Where the credits begin: the marker, or the last seconds of an episode when unmarked; null if unknown. */
export const creditsStartOf = (input: Omit<TimingInput, 'positionSeconds'>): number | null => {
  if (input.markers.credits) return input.markers.credits.startSeconds;
  if (!input.hasNextEpisode || input.durationSeconds === null || input.durationSeconds <= 0) return null;
  return Math.max(0, input.durationSeconds - unmarkedCreditsSeconds);
};

/** Which buttons show at this moment: "Skip intro" (with where it seeks to) and "Next episode". */
export const controlsAt = (input: TimingInput): { skipIntroTo: number | null; nextEpisode: boolean } => {
  const { intro } = input.markers;
  const t = input.positionSeconds;
  const inIntro = intro !== null && t >= intro.startSeconds && t < intro.endSeconds;
  const creditsStart = creditsStartOf(input);
  return {
    skipIntroTo: inIntro ? intro.endSeconds : null,
    nextEpisode: input.hasNextEpisode && creditsStart !== null && t >= creditsStart,
  };
};

/**
 * The countdown to the next episode. It starts when the episode ends, or when its marked credits
 * start; going back before them (a seek) calls it off, and so does Cancel, which holds until the
 * viewer leaves the credits and comes back to them. `go` is for the page to start the next one.
 */
export type NextUp =
  | { phase: 'waiting' }
  | { phase: 'counting'; startedAtMs: number }
  | { phase: 'cancelled' }
  | { phase: 'go' };

export type NextUpEvent = { type: 'time'; atMs: number; positionSeconds: number; ended: boolean } | { type: 'cancel' };

export const initialNextUp: NextUp = { phase: 'waiting' };

/** The countdown begins at the end, or at the marked credits (not at the unmarked last seconds). */
const atEnd = (input: Omit<TimingInput, 'positionSeconds'>, positionSeconds: number, ended: boolean): boolean =>
  ended || (input.markers.credits !== null && positionSeconds >= input.markers.credits.startSeconds);

export const nextUpStep = (state: NextUp, event: NextUpEvent, title: Omit<TimingInput, 'positionSeconds'>): NextUp => {
  if (!title.hasNextEpisode || state.phase === 'go') return state;
  if (event.type === 'cancel') return state.phase === 'counting' ? { phase: 'cancelled' } : state;
  const reached = atEnd(title, event.positionSeconds, event.ended);
  switch (state.phase) {
    case 'waiting':
      return reached ? { phase: 'counting', startedAtMs: event.atMs } : state;
    case 'counting':
      if (!reached) return { phase: 'waiting' };
      return event.atMs - state.startedAtMs >= nextEpisodeCountdownMs ? { phase: 'go' } : state;
    case 'cancelled':
      return reached ? state : { phase: 'waiting' };
  }
};

/** Whole seconds left on the countdown, as the overlay shows them (8, 7, … 1); 0 once it is over. */
export const countdownSecondsLeft = (state: NextUp, atMs: number): number => {
  if (state.phase === 'go') return 0;
  if (state.phase !== 'counting') return Math.ceil(nextEpisodeCountdownMs / 1000);
  return Math.max(0, Math.ceil((nextEpisodeCountdownMs - (atMs - state.startedAtMs)) / 1000));
};
