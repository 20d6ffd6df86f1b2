import { describe, expect, it } from 'vitest';
import {
  controlsAt,
  countdownSecondsLeft,
  initialNextUp,
  type NextUp,
  type NextUpEvent,
  nextEpisodeCountdownMs,
  nextUpStep,
  type TimingInput,
} from '../src/app/watch/intro-and-credits';

const episode: TimingInput = {
  positionSeconds: 0,
  durationSeconds: 600,
  markers: { intro: { startSeconds: 5, endSeconds: 35 }, credits: { startSeconds: 570, endSeconds: 600 } },
  hasNextEpisode: true,
};
const at = (positionSeconds: number, change: Partial<TimingInput> = {}) =>
  controlsAt({ ...episode, ...change, positionSeconds });

describe('skip intro', () => {
  it('shows inside the intro only, and seeks to its end', () => {
    expect(at(4.9).skipIntroTo).toBeNull();
    expect(at(5).skipIntroTo).toBe(35);
    expect(at(34.9).skipIntroTo).toBe(35);
    expect(at(35).skipIntroTo).toBeNull();
  });

  it('never shows without an intro marker', () => {
    expect(at(10, { markers: { intro: null, credits: null } }).skipIntroTo).toBeNull();
  });
});

describe('next episode button', () => {
  it('shows from the start of the marked credits', () => {
    expect(at(569.9).nextEpisode).toBe(false);
    expect(at(570).nextEpisode).toBe(true);
    expect(at(600).nextEpisode).toBe(true);
  });

  it('without a credits marker, shows in the last 10 seconds', () => {
    const unmarked = { markers: { intro: null, credits: null } };
    expect(at(589.9, unmarked).nextEpisode).toBe(false);
    expect(at(590, unmarked).nextEpisode).toBe(true);
    expect(at(590, { ...unmarked, durationSeconds: null }).nextEpisode).toBe(false);
  });

  it('never shows for the last episode or a film', () => {
    expect(at(580, { hasNextEpisode: false }).nextEpisode).toBe(false);
    expect(at(595, { hasNextEpisode: false, markers: { intro: null, credits: null } }).nextEpisode).toBe(false);
  });
});

describe('next episode countdown', () => {
  const run = (events: NextUpEvent[], title: Omit<TimingInput, 'positionSeconds'> = episode): NextUp =>
    events.reduce((state, event) => nextUpStep(state, event, title), initialNextUp);
  const time = (atMs: number, positionSeconds: number, ended = false): NextUpEvent => ({
    type: 'time',
    atMs,
    positionSeconds,
    ended,
  });

  it('starts when the marked credits start, and says go after 8 seconds', () => {
    expect(run([time(0, 500)])).toEqual({ phase: 'waiting' });
    const counting = run([time(0, 500), time(1000, 570)]);
    expect(counting).toEqual({ phase: 'counting', startedAtMs: 1000 });
    expect(countdownSecondsLeft(counting, 1000)).toBe(8);
    expect(countdownSecondsLeft(counting, 1001)).toBe(8);
    expect(countdownSecondsLeft(counting, 8100)).toBe(1);
    expect(run([time(1000, 570), time(1000 + nextEpisodeCountdownMs - 1, 578)]).phase).toBe('counting');
    expect(run([time(1000, 570), time(1000 + nextEpisodeCountdownMs, 578)])).toEqual({ phase: 'go' });
  });

  it('without a credits marker, starts only when the episode ends', () => {
    const unmarked = { ...episode, markers: { intro: null, credits: null } };
    expect(run([time(0, 595)], unmarked).phase).toBe('waiting');
    expect(run([time(0, 595), time(100, 0, true)], unmarked)).toEqual({ phase: 'counting', startedAtMs: 100 });
  });

  it('keeps counting after the player is torn down at the end', () => {
    // At the end the video element may report 0 again: ended wins.
    expect(run([time(0, 570), time(5000, 0, true), time(8000, 0, true)])).toEqual({ phase: 'go' });
  });

  it('Cancel stops it for good while in the credits; coming back to them offers it again', () => {
    const cancelled = run([time(0, 570), { type: 'cancel' }, time(9000, 580), time(20_000, 0, true)]);
    expect(cancelled).toEqual({ phase: 'cancelled' });
    expect(run([time(0, 570), { type: 'cancel' }, time(1000, 300), time(2000, 571)])).toEqual({
      phase: 'counting',
      startedAtMs: 2000,
    });
  });

  it('seeking back before the credits calls it off', () => {
    expect(run([time(0, 570), time(2000, 100)])).toEqual({ phase: 'waiting' });
  });

  it('never runs without a next episode', () => {
    expect(run([time(0, 570), time(9000, 600, true)], { ...episode, hasNextEpisode: false })).toEqual({
      phase: 'waiting',
    });
  });
});
