/*
 * Seek previews: the time under the pointer on the seek bar, and the tile of a thumbnail sprite
 * (dash.js `provideThumbnail`: the sprite's URL and where the tile sits in it) as the CSS of a
 * box that shows only that tile.
 */

/** A tile of a sprite, as dash.js gives it: the sprite's URL and the tile's box in it, in pixels. */
export type ThumbnailTile = { url: string; x: number; y: number; width: number; height: number };

/** The seconds under a pointer at `pointerX` (client pixels) over a bar, clamped to the title. */
export const timeAtPointer = (
  pointerX: number,
  bar: { left: number; width: number },
  durationSeconds: number,
): number => {
  if (!(bar.width > 0) || !Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  const fraction = Math.min(1, Math.max(0, (pointerX - bar.left) / bar.width));
  return fraction * durationSeconds;
};

/** Where the preview box goes along the bar (px from its left), kept inside the bar. */
export const previewLeft = (pointerX: number, bar: { left: number; width: number }, previewWidth: number): number =>
  Math.min(Math.max(0, pointerX - bar.left - previewWidth / 2), Math.max(0, bar.width - previewWidth));

const cssUrl = (url: string) => `url("${url.replace(/["\\\n\r]/g, (c) => encodeURIComponent(c))}")`;

/** The inline style of a box that shows just this tile of the sprite, at its own size. */
export const tileStyle = (tile: ThumbnailTile): string =>
  [
    `width: ${tile.width}px`,
    `height: ${tile.height}px`,
    `background-image: ${cssUrl(tile.url)}`,
    `background-position: ${-tile.x}px ${-tile.y}px`,
    'background-repeat: no-repeat',
  ].join('; ');
