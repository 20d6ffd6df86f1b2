/*
 * A stored HLS multivariant (master) playlist made into one session's: variants whose
 * RESOLUTION is above the session's height cap are taken out, and every variant and rendition
 * is repeated once per pathway with PATHWAY-ID and absolute URIs on that pathway, under an
 * EXT-X-CONTENT-STEERING tag naming the steering server and this node's pathway (HLS spec
 * 4.4.6.6, as hls.js and Apple's players read it). Each pathway's renditions get their own
 * GROUP-ID, so a variant never draws its audio (or subtitles) from another pathway. Media
 * playlists are left as stored: their relative URIs inherit the token from their own URL. So are
 * image (seek preview) and I-frame streams, listed once after the variants: no pathway carries
 * them and their relative URI resolves against this playlist's URL, the token in its path.
 */

export type HlsRewrite = {
  /** The tallest video rung to list; null lists every rung. */
  maxHeight: number | null;
  /** In order, each with the absolute folder its URIs resolve against (the token in its path). */
  pathways: { id: string; base: string }[];
  steering: { url: string; pathwayId: string };
};

// The characters the HLS spec allows in a PATHWAY-ID; any other id cannot be written.
const pathwayIdShape = /^[A-Za-z0-9._-]+$/;

/** Every attribute of a tag's attribute list, in order, values as written (quotes kept). */
const attributesOf = (line: string): [string, string][] => {
  const list = line.slice(line.indexOf(':') + 1);
  const found: [string, string][] = [];
  for (const match of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) found.push([match[1] ?? '', match[2] ?? '']);
  return found;
};

const tagWith = (tag: string, attributes: [string, string][]) =>
  `${tag}:${attributes.map(([name, value]) => `${name}=${value}`).join(',')}`;

const unquote = (value: string) => value.replace(/^"|"$/g, '');

const heightOf = (attributes: [string, string][]) => {
  const resolution = attributes.find(([name]) => name === 'RESOLUTION')?.[1];
  const height = resolution ? Number(/x(\d+)$/i.exec(resolution)?.[1]) : Number.NaN;
  return Number.isFinite(height) ? height : null;
};

const absolute = (uri: string, base: string) => new URL(uri, base).href;

// A stable id lets a client keep its rung when steering moves it to another pathway.
const stableIdOf = (uri: string) => {
  const id = uri.replace(/^.*\//, '').replace(/^media-|\.m3u8$/g, '');
  return /^[A-Za-z0-9+/=._-]+$/.test(id) ? id : undefined;
};

type Variant = { attributes: [string, string][]; uri: string };

export const rewriteHlsMaster = (playlist: string, rewrite: HlsRewrite): string => {
  const lines = playlist.split(/\r?\n/);
  const header: string[] = [];
  const renditions: [string, string][][] = [];
  const variants: Variant[] = [];
  const trickPlay: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-STREAM-INF:')) {
      // The variant's URI is the next line that is not a tag or blank.
      let next = i + 1;
      while (next < lines.length && ((lines[next] ?? '').trim() === '' || (lines[next] ?? '').startsWith('#'))) next++;
      const uri = (lines[next] ?? '').trim();
      i = next;
      if (uri) variants.push({ attributes: attributesOf(line), uri });
    } else if (line.startsWith('#EXT-X-MEDIA:')) renditions.push(attributesOf(line));
    else if (line.startsWith('#EXT-X-IMAGE-STREAM-INF:') || line.startsWith('#EXT-X-I-FRAME-STREAM-INF:'))
      trickPlay.push(line);
    else if (line.startsWith('#EXT-X-CONTENT-STEERING:')) {
      // Ours to write.
    } else if (line.startsWith('#')) header.push(line);
  }

  const { maxHeight } = rewrite;
  const allowed = variants.filter((variant) => {
    const height = heightOf(variant.attributes);
    return maxHeight === null || height === null || height <= maxHeight;
  });
  const groupFor = (group: string, pathwayId: string) => `"${unquote(group)}-${pathwayId}"`;

  const out = [...header];
  out.push(`#EXT-X-CONTENT-STEERING:SERVER-URI="${rewrite.steering.url}",PATHWAY-ID="${rewrite.steering.pathwayId}"`);
  for (const pathway of rewrite.pathways.filter((p) => pathwayIdShape.test(p.id))) {
    for (const rendition of renditions) {
      const attributes = rendition.map(([name, value]): [string, string] => {
        if (name === 'GROUP-ID') return [name, groupFor(value, pathway.id)];
        if (name === 'URI') return [name, `"${absolute(unquote(value), pathway.base)}"`];
        return [name, value];
      });
      const rung = stableIdOf(unquote(rendition.find(([name]) => name === 'URI')?.[1] ?? ''));
      out.push(
        tagWith('#EXT-X-MEDIA', [
          ...attributes,
          ['PATHWAY-ID', `"${pathway.id}"`],
          ...(rung && !rendition.some(([name]) => name === 'STABLE-RENDITION-ID')
            ? ([['STABLE-RENDITION-ID', `"${rung}"`]] as [string, string][])
            : []),
        ]),
      );
    }
    for (const variant of allowed) {
      const attributes = variant.attributes.map(([name, value]): [string, string] =>
        ['AUDIO', 'SUBTITLES', 'CLOSED-CAPTIONS'].includes(name) && value.startsWith('"')
          ? [name, groupFor(value, pathway.id)]
          : [name, value],
      );
      const rung = stableIdOf(variant.uri);
      out.push(
        tagWith('#EXT-X-STREAM-INF', [
          ...attributes,
          ['PATHWAY-ID', `"${pathway.id}"`],
          ...(rung && !variant.attributes.some(([name]) => name === 'STABLE-VARIANT-ID')
            ? ([['STABLE-VARIANT-ID', `"${rung}"`]] as [string, string][])
            : []),
        ]),
        absolute(variant.uri, pathway.base),
      );
    }
  }
  out.push(...trickPlay);
  return `${out.join('\n')}\n`;
};
