// What a client reads of HLS playlists to fetch the start of a title's lowest rung: the master's
// first variant, then that playlist's init segment and first media segments. Only as much of
// the format as Marquee's own packages use (one EXT-X-MAP, EXTINF before each segment).

/** The URI of the master playlist's first variant: the ladder's first rung. */
export const firstVariant = (master: string): string | undefined => {
  const lines = master.split(/\r?\n/).map((line) => line.trim());
  const inf = lines.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF:'));
  return inf < 0 ? undefined : lines.slice(inf + 1).find((line) => line !== '' && !line.startsWith('#'));
};

/** A media playlist's init segment and its first `count` media segments, with their seconds. */
export const leadingSegments = (
  media: string,
  count: number,
): { init?: string; segments: string[]; seconds: number } => {
  const lines = media.split(/\r?\n/).map((line) => line.trim());
  const init = lines.map((line) => /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line)?.[1]).find(Boolean);
  const segments: string[] = [];
  let seconds = 0;
  let duration = 0;
  for (const line of lines) {
    if (segments.length >= count) break;
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length)) || 0;
    else if (line !== '' && !line.startsWith('#')) {
      segments.push(line);
      seconds += duration;
    }
  }
  return { ...(init && { init }), segments, seconds };
};
