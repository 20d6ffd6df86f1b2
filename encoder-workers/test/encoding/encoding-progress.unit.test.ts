import { describe, expect, it } from 'vitest';
import { parseProgressLine } from '../../src/encoding/encoding-progress';

describe('parseProgressLine', () => {
  it("reads percent, fps, speed and ETA from ffmpeg's progress line", () => {
    const line = 'frame=   75 fps= 50 q=28.0 q=28.0 size=N/A time=00:00:03.00 bitrate=N/A speed=1.5x';
    expect(parseProgressLine(line, 6)).toEqual({ percent: 50, fps: 50, speed: 1.5, etaSeconds: 2 });
  });

  it('has no ETA before ffmpeg reports a speed, and never passes 100%', () => {
    expect(parseProgressLine('frame=1 fps=0.0 time=00:01:00.00 speed=N/A', 30)).toEqual({
      percent: 100,
      fps: 0,
      speed: 0,
      etaSeconds: null,
    });
  });

  it('ignores other lines and progress without a time', () => {
    expect(parseProgressLine('[dash @ 0x1] Opening segment-0-00001.m4s', 6)).toBeUndefined();
    expect(parseProgressLine('frame=    0 fps=0.0 q=0.0 size=N/A time=N/A bitrate=N/A speed=N/A', 6)).toBeUndefined();
  });
});
