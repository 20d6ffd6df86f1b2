/**
 * The tracks of a package as the DASH manifest and the HLS master say them (the layout contract):
 * audio sets and EXT-X-MEDIA lines labelled by language, caption and thumbnail sets and lines,
 * and the small playlists for captions and sprites. Pure text in, text out, so the first encode
 * and a revision of it describe their tracks the same way.
 */
import type { ThumbnailGrid } from '@marquee/domain';
import { attributeOf } from './merge-video-adaptation-sets';
import {
  type AudioRendition,
  captionsFileName,
  captionsPlaylistFileName,
  thumbnailsPlaylistFileName,
} from './package-tracks';
import { type BitRates, variantBitRates } from './segment-bit-rates';
import { UnexpectedPackage } from './unexpected-package';

export type CaptionsSet = { language: string; name: string; bandwidth: number };
export type ThumbnailsSet = { grid: ThumbnailGrid; bandwidth: number };

export type AdaptationSetText = {
  /** The whole element, with its indentation and line end. */
  text: string;
  start: number;
  attributes: string;
  contentType: string | undefined;
  representationIds: string[];
};

const setPattern = /[ \t]*<AdaptationSet\b([^>]*)>[\s\S]*?<\/AdaptationSet>[ \t]*\r?\n?/g;

export const adaptationSetsOf = (mpd: string): AdaptationSetText[] =>
  [...mpd.matchAll(setPattern)].map((match) => ({
    text: match[0],
    start: match.index,
    attributes: match[1] ?? '',
    contentType: attributeOf(match[1] ?? '', 'contentType'),
    representationIds: [...match[0].matchAll(/<Representation\b[^>]*?\sid="([^"]*)"/g)].map(([, id = '']) => id),
  }));

const setAttribute = (tag: string, name: string, value: string | null) => {
  const pattern = new RegExp(`\\s${name}="[^"]*"`);
  const without = tag.replace(pattern, '');
  if (value === null) return without;
  return pattern.test(tag)
    ? tag.replace(pattern, ` ${name}="${value}"`)
    : without.replace(/\s*(\/?>)$/, ` ${name}="${value}"$1`);
};

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const roleScheme = 'urn:mpeg:dash:role:2011';

/** The MPD with `sets` (whole elements) in place of every set `drop` matches, the new ones after the kept ones; set ids renumbered. */
export const replaceAdaptationSets = (
  mpd: string,
  drop: (set: AdaptationSetText) => boolean,
  add: readonly string[] = [],
): string => {
  const sets = adaptationSetsOf(mpd);
  const last = sets.at(-1);
  const periodEnd = mpd.lastIndexOf('</Period>');
  if (last === undefined || periodEnd < last.start)
    throw new UnexpectedPackage('the manifest has no AdaptationSet in a Period');
  const lineStart = mpd.lastIndexOf('\n', periodEnd) + 1;
  const kept = sets.filter((set) => !drop(set)).map((set) => set.text);
  const first = sets[0] as AdaptationSetText;
  let id = 0;
  const body = [...kept, ...add]
    .join('')
    .replace(/<AdaptationSet\b[^>]*>/g, (tag) => setAttribute(tag, 'id', String(id++)));
  // Sets are side by side in what ffmpeg writes; anything between them would be lost here.
  const between = mpd.slice(first.start, lineStart).replace(setPattern, '');
  if (between.trim() !== '') throw new UnexpectedPackage('the adaptation sets in the manifest are not side by side');
  return `${mpd.slice(0, first.start)}${body}${mpd.slice(lineStart)}`;
};

/**
 * Every audio set labelled by its rendition (found by its Representation id): `lang`, a Label
 * with the language's name and a Role. Sets come out in the renditions' order.
 */
export const labelAudioSets = (mpd: string, renditions: readonly AudioRendition[]): string => {
  const audioSets = adaptationSetsOf(mpd).filter((set) => set.contentType === 'audio');
  const labelled = renditions.map((rendition) => {
    const set = audioSets.find((candidate) => candidate.representationIds.includes(rendition.id));
    if (set === undefined) throw new UnexpectedPackage(`the manifest has no audio Representation ${rendition.id}`);
    const indent = /^[ \t]*/.exec(set.text)?.[0] ?? '';
    return set.text
      .replace(/[ \t]*<(Label|Role)\b[^>]*?(\/>|>[\s\S]*?<\/\1>)[ \t]*\r?\n/g, '')
      .replace(
        /<AdaptationSet\b[^>]*>\r?\n?/,
        (tag) =>
          `${setAttribute(tag.trimEnd(), 'lang', rendition.language)}\n` +
          `${indent}\t<Label>${escapeXml(rendition.name)}</Label>\n` +
          `${indent}\t<Role schemeIdUri="${roleScheme}" value="${rendition.role}"/>\n`,
      );
  });
  if (labelled.length !== audioSets.length) {
    throw new UnexpectedPackage(`the manifest has ${audioSets.length} audio sets for ${labelled.length} audio tracks`);
  }
  return replaceAdaptationSets(
    mpd,
    (set) => set.contentType === 'audio' || set.contentType === 'text' || set.contentType === 'image',
    [
      ...labelled,
      ...adaptationSetsOf(mpd)
        .filter((set) => set.contentType === 'text' || set.contentType === 'image')
        .map((set) => set.text),
    ],
  );
};

const captionsSetText = (captions: CaptionsSet) =>
  [
    `\t\t<AdaptationSet id="0" contentType="text" mimeType="text/vtt" lang="${captions.language}">`,
    `\t\t\t<Label>${escapeXml(captions.name)}</Label>`,
    `\t\t\t<Role schemeIdUri="${roleScheme}" value="subtitle"/>`,
    `\t\t\t<Representation id="captions-${captions.language}" bandwidth="${captions.bandwidth}">`,
    `\t\t\t\t<BaseURL>${captionsFileName(captions.language)}</BaseURL>`,
    '\t\t\t</Representation>',
    '\t\t</AdaptationSet>',
    '',
  ].join('\n');

// DASH-IF IOP 6.2.6: one sprite per segment, each holding columns × rows frames.
const thumbnailsSetText = ({ grid, bandwidth }: ThumbnailsSet) =>
  [
    '\t\t<AdaptationSet id="0" contentType="image" mimeType="image/jpeg">',
    `\t\t\t<SegmentTemplate media="thumbnails-$Number$.jpg" timescale="1" duration="${grid.columns * grid.rows * grid.intervalSeconds}" startNumber="1"/>`,
    `\t\t\t<Representation id="thumbnails" bandwidth="${bandwidth}" width="${grid.columns * grid.tileWidth}" height="${grid.rows * grid.tileHeight}">`,
    `\t\t\t\t<EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="${grid.columns}x${grid.rows}"/>`,
    '\t\t\t</Representation>',
    '\t\t</AdaptationSet>',
    '',
  ].join('\n');

/** The MPD with exactly these caption sets and thumbnail set after its audio and video (any it had are replaced). */
export const withCaptionAndThumbnailSets = (
  mpd: string,
  { captions, thumbnails }: { captions: readonly CaptionsSet[]; thumbnails: ThumbnailsSet | null },
): string =>
  replaceAdaptationSets(mpd, (set) => set.contentType === 'text' || set.contentType === 'image', [
    ...captions.map(captionsSetText),
    ...(thumbnails ? [thumbnailsSetText(thumbnails)] : []),
  ]);

export const audioGroupId = 'audio';
export const subtitlesGroupId = 'subs';

const audioPlaylistFileName = (id: string) => `media-${id}.m3u8`;

const quoted = (name: string) => name.replaceAll('"', "'");

/**
 * RFC 8216 4.3.4.1.1: renditions of one language should differ in CHARACTERISTICS or only one of
 * them be AUTOSELECT, else a player picking by language has two to choose from. The first of each
 * language (untagged ones count as one language) is the one; the first track is the DEFAULT.
 */
const audioMediaLines = (renditions: readonly AudioRendition[]) => {
  const languages = new Set<string | null>();
  return renditions.map((rendition, index) => {
    const firstOfItsLanguage = !languages.has(rendition.language);
    languages.add(rendition.language);
    return [
      '#EXT-X-MEDIA:TYPE=AUDIO',
      `GROUP-ID="${audioGroupId}"`,
      `NAME="${quoted(rendition.name)}"`,
      ...(rendition.language === null ? [] : [`LANGUAGE="${rendition.language}"`]),
      `DEFAULT=${index === 0 ? 'YES' : 'NO'}`,
      `AUTOSELECT=${firstOfItsLanguage ? 'YES' : 'NO'}`,
      // Every track is encoded to stereo.
      'CHANNELS="2"',
      `URI="${audioPlaylistFileName(rendition.id)}"`,
    ].join(',');
  });
};

// One per language, so each may be AUTOSELECT; none is DEFAULT (or FORCED): captions show only when asked for.
const subtitlesMediaLine = (captions: CaptionsSet) =>
  [
    '#EXT-X-MEDIA:TYPE=SUBTITLES',
    `GROUP-ID="${subtitlesGroupId}"`,
    `NAME="${quoted(captions.name)}"`,
    `LANGUAGE="${captions.language}"`,
    'DEFAULT=NO',
    'AUTOSELECT=YES',
    `URI="${captionsPlaylistFileName(captions.language)}"`,
  ].join(',');

const imageStreamLine = ({ grid, bandwidth }: ThumbnailsSet) =>
  `#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=${bandwidth},RESOLUTION=${grid.tileWidth}x${grid.tileHeight},CODECS="jpeg",URI="${thumbnailsPlaylistFileName}"`;

const withStreamAttribute = (line: string, name: string, value: string | null) => {
  const pattern = new RegExp(`,${name}="[^"]*"`);
  const without = line.replace(pattern, '');
  return value === null ? without : `${without},${name}="${value}"`;
};

const bitRatesOf = (bitRates: ReadonlyMap<string, BitRates>, playlist: string) => {
  const rates = bitRates.get(playlist);
  if (rates === undefined) throw new UnexpectedPackage(`the segments of ${playlist} were not measured`);
  return rates;
};

/** BANDWIDTH and AVERAGE-BANDWIDTH (after it, added where ffmpeg wrote none) set to `rates`. */
const withBandwidths = (line: string, { peak, average }: BitRates) =>
  line.replace(/,AVERAGE-BANDWIDTH=\d+/, '').replace(/([:,]BANDWIDTH=)\d+/, `$1${peak},AVERAGE-BANDWIDTH=${average}`);

/**
 * The master with exactly these audio renditions, then these subtitles, before its first
 * variant, every variant naming both groups (its bandwidths from `bitRates`, each media playlist's
 * by its file name: see measureBitRates), and the sprites' image stream at the end.
 */
export const withMasterTracks = (
  master: string,
  {
    audio,
    captions,
    thumbnails,
    bitRates,
  }: {
    audio: readonly AudioRendition[];
    captions: readonly CaptionsSet[];
    thumbnails: ThumbnailsSet | null;
    bitRates: ReadonlyMap<string, BitRates>;
  },
): string => {
  const audioBitRates = audio.map((rendition) => bitRatesOf(bitRates, audioPlaylistFileName(rendition.id)));
  const lines = master
    .trimEnd()
    .split('\n')
    .filter(
      (line) => !/^#EXT-X-MEDIA:TYPE=(AUDIO|SUBTITLES),/.test(line) && !line.startsWith('#EXT-X-IMAGE-STREAM-INF:'),
    );
  const written = lines.map((line, index) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return line;
    const playlist = lines[index + 1] ?? '';
    if (!/^media-.+\.m3u8$/.test(playlist)) {
      throw new UnexpectedPackage(`the HLS variant ${line} is followed by no media playlist`);
    }
    let variant = withBandwidths(line, variantBitRates(bitRatesOf(bitRates, playlist), audioBitRates));
    variant = withStreamAttribute(variant, 'AUDIO', audio.length > 0 ? audioGroupId : null);
    variant = withStreamAttribute(variant, 'SUBTITLES', captions.length > 0 ? subtitlesGroupId : null);
    // A variant that gained audio in a revision names its codec too.
    if (audio.length > 0 && !/CODECS="[^"]*mp4a/.test(variant)) {
      variant = variant.replace(/CODECS="([^"]*)"/, 'CODECS="$1,mp4a.40.2"');
    }
    return variant;
  });
  while (written.at(-1) === '') written.pop();
  const firstVariant = written.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF:'));
  if (firstVariant < 0) throw new UnexpectedPackage('the HLS master has no variant');
  const media = [...audioMediaLines(audio), ...captions.map(subtitlesMediaLine)];
  return `${[
    ...written.slice(0, firstVariant),
    ...media,
    ...written.slice(firstVariant),
    ...(thumbnails ? ['', imageStreamLine(thumbnails)] : []),
  ].join('\n')}\n`;
};

/** An HLS subtitles playlist whose one segment is the whole WebVTT file. */
export const captionsPlaylist = (language: string, durationSeconds: number) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.ceil(durationSeconds)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${durationSeconds.toFixed(3)},`,
    captionsFileName(language),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');

/** An HLS image playlist (Apple/Roku "images only") over the sprites, each covering columns × rows intervals. */
export const thumbnailsPlaylist = (grid: ThumbnailGrid, spriteCount: number, durationSeconds: number) => {
  const perSprite = grid.columns * grid.rows * grid.intervalSeconds;
  // Per sprite, as Roku's and Apple's image playlists put it.
  const tiles = `#EXT-X-TILES:RESOLUTION=${grid.tileWidth}x${grid.tileHeight},LAYOUT=${grid.columns}x${grid.rows},DURATION=${grid.intervalSeconds}`;
  const sprites = Array.from({ length: spriteCount }, (_, index) => {
    const seconds = Math.max(0.001, Math.min(perSprite, durationSeconds - index * perSprite));
    return [`#EXTINF:${seconds.toFixed(3)},`, tiles, `thumbnails-${index + 1}.jpg`];
  });
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${perSprite}`,
    '#EXT-X-MEDIA-SEQUENCE:1',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-IMAGES-ONLY',
    ...sprites.flat(),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
};
