/*
 * Seek previews on the browser's own HLS player, which shows none of its own: the master's image
 * stream (EXT-X-IMAGE-STREAM-INF) names an image playlist (Apple's and Roku's "images only": an
 * EXTINF and an EXT-X-TILES grid per sprite), read here into the tile for a time, in the shape
 * dash.js gives its DASH-IF thumbnails, so the seek bar takes either.
 */
import { attributesOf } from './hls-master';
import type { ThumbnailTile } from './seek-preview';

/** One sprite of the image playlist: where it sits in the title, and its grid of tiles. */
export type HlsSprite = {
  url: string;
  startSeconds: number;
  durationSeconds: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** The stretch of the title each tile stands for. */
  tileSeconds: number;
};

const resolved = (uri: string, base: string): string | null => {
  try {
    // Relative to the playlist's URL, so the content token in its path carries over.
    return new URL(uri, base).href;
  } catch {
    return null;
  }
};

/** The image playlist's URL from the master's first image stream, or null when it has none. */
export const imagePlaylistUrl = (master: string, masterUrl: string): string | null => {
  const line = /^#EXT-X-IMAGE-STREAM-INF:(.*)$/m.exec(master);
  const uri = line ? attributesOf(line[1] ?? '').URI : undefined;
  return uri ? resolved(uri, masterUrl) : null;
};

const sizeOf = (text: string | undefined) => {
  const match = /^(\d+)x(\d+)$/.exec(text ?? '');
  return match ? { x: Number(match[1]), y: Number(match[2]) } : null;
};

/** The sprites of an image playlist in order; none when it is not one (no EXT-X-IMAGES-ONLY). */
export const hlsSprites = (playlist: string, playlistUrl: string): HlsSprite[] => {
  const lines = playlist.split(/\r?\n/).map((line) => line.trim());
  if (!lines.includes('#EXT-X-IMAGES-ONLY')) return [];
  const sprites: HlsSprite[] = [];
  let startSeconds = 0;
  let durationSeconds = Number.NaN;
  let tiles: Record<string, string> | null = null;
  for (const line of lines) {
    if (line.startsWith('#EXTINF:')) durationSeconds = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line.startsWith('#EXT-X-TILES:')) tiles = attributesOf(line.slice('#EXT-X-TILES:'.length));
    else if (line !== '' && !line.startsWith('#')) {
      const size = sizeOf(tiles?.RESOLUTION);
      const layout = sizeOf(tiles?.LAYOUT);
      const url = resolved(line, playlistUrl);
      if (durationSeconds > 0 && size && layout && layout.x > 0 && layout.y > 0 && url) {
        // DURATION may be left out: the sprite's time shared out over its tiles.
        const tileSeconds = Number(tiles?.DURATION ?? durationSeconds / (layout.x * layout.y));
        if (tileSeconds > 0)
          sprites.push({
            url,
            startSeconds,
            durationSeconds,
            columns: layout.x,
            rows: layout.y,
            tileWidth: size.x,
            tileHeight: size.y,
            tileSeconds,
          });
      }
      // A sprite that could not be read still takes its time, so the ones after it stay in place.
      if (durationSeconds > 0) startSeconds += durationSeconds;
      durationSeconds = Number.NaN;
      tiles = null;
    }
  }
  return sprites;
};

/** The tile showing the frame at `timeSeconds`, or null before the start or past the end. */
export const hlsTileAt = (sprites: readonly HlsSprite[], timeSeconds: number): ThumbnailTile | null => {
  if (!(timeSeconds >= 0)) return null;
  const last = sprites.at(-1);
  // The very end of the title (the far right of the seek bar) shows the last frame.
  const sprite =
    sprites.find((s) => timeSeconds >= s.startSeconds && timeSeconds < s.startSeconds + s.durationSeconds) ??
    (last && timeSeconds === last.startSeconds + last.durationSeconds ? last : undefined);
  if (!sprite) return null;
  // A short last sprite fills only its first tiles; the rest of its grid is blank.
  const filled = Math.min(sprite.columns * sprite.rows, Math.ceil(sprite.durationSeconds / sprite.tileSeconds));
  const index = Math.min(filled - 1, Math.floor((timeSeconds - sprite.startSeconds) / sprite.tileSeconds));
  return {
    url: sprite.url,
    x: (index % sprite.columns) * sprite.tileWidth,
    y: Math.floor(index / sprite.columns) * sprite.tileHeight,
    width: sprite.tileWidth,
    height: sprite.tileHeight,
  };
};

type Fetch = (url: string) => Promise<Pick<Response, 'ok' | 'text'>>;

/**
 * The sprites the master's image stream lists, fetched from the place the master came from; none
 * when it has no image stream or the playlist does not come: the seek bar then shows no preview.
 */
export const fetchHlsSprites = async (
  master: string,
  masterUrl: string,
  fetchText: Fetch = (url) => fetch(url),
): Promise<HlsSprite[]> => {
  const url = imagePlaylistUrl(master, masterUrl);
  if (!url) return [];
  try {
    const response = await fetchText(url);
    return response.ok ? hlsSprites(await response.text(), url) : [];
  } catch {
    return [];
  }
};
