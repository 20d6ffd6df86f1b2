import { describe, expect, it } from 'vitest';
import { previewLeft, tileStyle, timeAtPointer } from '../src/app/watch/seek-preview';

describe('the time under the pointer on the seek bar', () => {
  const bar = { left: 100, width: 400 };

  it('maps the pointer across the bar onto the title', () => {
    expect(timeAtPointer(100, bar, 600)).toBe(0);
    expect(timeAtPointer(300, bar, 600)).toBe(300);
    expect(timeAtPointer(500, bar, 600)).toBe(600);
  });

  it('stays within the title when the pointer is past either end, and is 0 before the length is known', () => {
    expect(timeAtPointer(50, bar, 600)).toBe(0);
    expect(timeAtPointer(900, bar, 600)).toBe(600);
    expect(timeAtPointer(300, bar, Number.NaN)).toBe(0);
    expect(timeAtPointer(300, { left: 0, width: 0 }, 600)).toBe(0);
  });

  it('keeps the preview box inside the bar', () => {
    expect(previewLeft(300, bar, 160)).toBe(120);
    expect(previewLeft(110, bar, 160)).toBe(0);
    expect(previewLeft(495, bar, 160)).toBe(240);
  });
});

describe('a thumbnail tile as CSS', () => {
  it('shows only the tile: its size, the sprite moved by its offset', () => {
    const style = tileStyle({ url: 'thumbnails-2.jpg', x: 320, y: 90, width: 160, height: 90 });
    expect(style).toContain('width: 160px');
    expect(style).toContain('height: 90px');
    expect(style).toContain('background-image: url("thumbnails-2.jpg")');
    expect(style).toContain('background-position: -320px -90px');
  });

  it('keeps a URL with quotes from breaking out of the style', () => {
    expect(tileStyle({ url: 'a"b.jpg', x: 0, y: 0, width: 1, height: 1 })).toContain('url("a%22b.jpg")');
  });
});
