import { describe, expect, it } from 'vitest';
import { type PositionInput, playbackPosition } from '../src/app/watch/playback-position';

const playing: PositionInput = {
  firstFrameShown: true,
  resumeFromSeconds: 30,
  currentTime: 42.37,
  mediaDuration: 120,
  titleDurationSeconds: 118,
};

describe('playback position', () => {
  it('is the resume point until the first frame shows', () => {
    expect(playbackPosition({ ...playing, firstFrameShown: false, currentTime: 0 })).toBe(30);
  });

  it('is the video time, rounded down to a tenth of a second', () => {
    expect(playbackPosition(playing)).toBe(42.3);
  });

  it("never passes the title's length from the catalog, which wins over the media's", () => {
    expect(playbackPosition({ ...playing, currentTime: 119.5 })).toBe(118);
  });

  it("without the catalog's length, never passes the media's; without either, is not capped", () => {
    expect(playbackPosition({ ...playing, titleDurationSeconds: null, currentTime: 125 })).toBe(120);
    expect(
      playbackPosition({ ...playing, titleDurationSeconds: null, mediaDuration: Number.NaN, currentTime: 500 }),
    ).toBe(500);
  });

  it('is 0 for a video time that is not a number, and never below 0', () => {
    expect(playbackPosition({ ...playing, currentTime: Number.NaN })).toBe(0);
    expect(playbackPosition({ ...playing, currentTime: -3 })).toBe(0);
  });
});
