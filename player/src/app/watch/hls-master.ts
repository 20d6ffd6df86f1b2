/*
 * What the player reads of an HLS master playlist: the video variants' heights and bitrates,
 * because the browser's own HLS player says which height it shows but not at what bitrate.
 */

export type HlsVariant = { bandwidth: number; height: number | null };

/** The attributes of one tag line, e.g. `BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1…,mp4a…"`. */
export const attributesOf = (list: string): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const match of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g))
    attributes[match[1] as string] = (match[2] ?? '').replace(/^"|"$/g, '');
  return attributes;
};

/** Every #EXT-X-STREAM-INF of the master, in order (a variant repeated per pathway appears once per pathway). */
export const hlsVariants = (master: string): HlsVariant[] =>
  [...master.matchAll(/^#EXT-X-STREAM-INF:(.*)$/gm)].flatMap((line) => {
    const attributes = attributesOf(line[1] ?? '');
    const bandwidth = Number(attributes['AVERAGE-BANDWIDTH'] ?? attributes.BANDWIDTH);
    if (!Number.isFinite(bandwidth)) return [];
    const height = Number(/^\d+x(\d+)$/.exec(attributes.RESOLUTION ?? '')?.[1]);
    return [{ bandwidth, height: Number.isFinite(height) ? height : null }];
  });

/** The bitrate (kbps) of the variant of that height, or null when the master has none. */
export const variantKbps = (variants: readonly HlsVariant[], height: number): number | null => {
  const variant = variants.find((v) => v.height === height);
  return variant ? variant.bandwidth / 1000 : null;
};
