import { describe, expect, it } from 'vitest';
import { defaultRungs, InvalidRungs, parseRungs, planLadder } from '../../src/encoding/ladder';

const sizes = (ladder: { width: number; height: number }[]) => ladder.map(({ width, height }) => `${width}x${height}`);

describe('planLadder', () => {
  it('gives a 1080p source every rung up to 1080p, none above', () => {
    const ladder = planLadder({ width: 1920, height: 1080 }, defaultRungs);
    expect(sizes(ladder)).toEqual(['426x240', '640x360', '854x480', '1280x720', '1920x1080']);
    expect(ladder.map((rung) => rung.videoBitrateKbps)).toEqual([300, 700, 1200, 2500, 4500]);
  });

  it('gives a 2160p source all six rungs', () => {
    expect(sizes(planLadder({ width: 3840, height: 2160 }, defaultRungs)).at(-1)).toBe('3840x2160');
    expect(planLadder({ width: 3840, height: 2160 }, defaultRungs)).toHaveLength(6);
  });

  it('tops out at the tallest configured rung at or below the source, never upscaling', () => {
    expect(sizes(planLadder({ width: 1778, height: 1000 }, defaultRungs)).at(-1)).toBe('1280x720');
    expect(sizes(planLadder({ width: 640, height: 360 }, defaultRungs))).toEqual(['426x240', '640x360']);
  });

  it('keeps the source aspect ratio with even dimensions', () => {
    expect(sizes(planLadder({ width: 1280, height: 536 }, defaultRungs))).toEqual(['574x240', '860x360', '1146x480']);
    expect(sizes(planLadder({ width: 853, height: 479 }, defaultRungs))).toEqual(['428x240', '642x360']);
    expect(sizes(planLadder({ width: 1080, height: 1920 }, defaultRungs)).at(-1)).toBe('608x1080');
    for (const rung of planLadder({ width: 853, height: 479 }, defaultRungs)) {
      expect(rung.width % 2).toBe(0);
      expect(rung.height % 2).toBe(0);
    }
  });

  it('drops a rung within 20% of the kept rung above it', () => {
    const rungs = parseRungs('720:2500,800:3000,1080:4500');
    expect(sizes(planLadder({ width: 1920, height: 1080 }, rungs))).toEqual(['1422x800', '1920x1080']);
    expect(sizes(planLadder({ width: 1920, height: 1080 }, parseRungs('1000:4000,1080:4500')))).toEqual(['1920x1080']);
  });

  it('gives a source smaller than every rung one rung at its own size, with a bitrate scaled by pixels', () => {
    expect(planLadder({ width: 160, height: 90 }, defaultRungs)).toEqual([
      { width: 160, height: 90, videoBitrateKbps: 100 },
    ]);
    expect(planLadder({ width: 320, height: 180 }, defaultRungs)).toEqual([
      { width: 320, height: 180, videoBitrateKbps: 169 },
    ]);
    expect(sizes(planLadder({ width: 161, height: 91 }, defaultRungs))).toEqual(['160x90']);
  });
});

describe('parseRungs', () => {
  it('reads height:kbps pairs, sorted by height', () => {
    expect(parseRungs(' 720:2500, 240:300 ,360:700')).toEqual([
      { height: 240, videoBitrateKbps: 300 },
      { height: 360, videoBitrateKbps: 700 },
      { height: 720, videoBitrateKbps: 2500 },
    ]);
    expect(parseRungs('240:300,360:700,480:1200,720:2500,1080:4500,2160:12000')).toEqual(defaultRungs);
  });

  it.each([
    ['', 'lists no rung'],
    ['240', '"240" is not a height:kbps pair'],
    ['240:300:1', 'not a height:kbps pair'],
    ['240:fast', 'the bitrate in "240:fast" is not a positive whole number'],
    ['tall:300', 'the height in "tall:300" is not a positive whole number'],
    ['0:300', 'the height in "0:300"'],
    ['240:300,240:400', 'height 240 appears twice'],
  ])('refuses %j with a clear reason', (text, reason) => {
    expect(() => parseRungs(text)).toThrow(InvalidRungs);
    expect(() => parseRungs(text)).toThrow(reason);
  });
});
