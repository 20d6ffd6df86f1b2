/*
 * A stored DASH manifest made into one session's: video Representations above the session's
 * height cap are taken out (a standard client then never asks for them), and the MPD names
 * every pathway as an absolute BaseURL with its serviceLocation, plus the DASH-IF Content
 * Steering element dash.js reads (`defaultServiceLocation`, `queryBeforeStart`, the steering
 * server's URL as its text). `queryBeforeStart` is false: the node serving the manifest was
 * ranked first moments ago, at playback start, so the first segment does not wait for a
 * steering round trip; the player asks in the background and follows from then on. Text in, text out: the encoder's MPD is small and regular (ffmpeg's
 * dashenc), so a few targeted edits keep everything else byte for byte.
 */

export type DashRewrite = {
  /** The tallest video rung to list; null lists every rung. */
  maxHeight: number | null;
  /** In order; the first is what a client without steering uses. */
  baseUrls: { serviceLocation: string; url: string }[];
  steering: { url: string; defaultServiceLocation: string };
};

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

const withAttribute = (tag: string, name: string, value: string) =>
  new RegExp(`\\s${name}="[^"]*"`).test(tag) ? tag.replace(new RegExp(`(\\s${name}=")[^"]*(")`), `$1${value}$2`) : tag;

const representation = /[ \t]*<Representation\b[^>]*?(?:\/>|>[\s\S]*?<\/Representation>)[ \t]*\r?\n?/g;
const adaptationSet = /[ \t]*<AdaptationSet\b[^>]*>[\s\S]*?<\/AdaptationSet>[ \t]*\r?\n?/g;

const openTagOf = (set: string) => /<AdaptationSet\b[^>]*>/.exec(set)?.[0] ?? '';

/**
 * Only video has rungs to cap. A set says it is video by contentType or mimeType (on the set or
 * its first Representation); audio, text (captions) and image (seek-preview sprites, whose
 * height is the sprite's, not a rung's) sets are left whole.
 */
const isVideoSet = (set: string) => {
  const open = openTagOf(set);
  const kind = attribute(open, 'contentType') ?? attribute(open, 'mimeType') ?? attribute(set, 'mimeType') ?? '';
  return kind === 'video' || kind.startsWith('video/');
};

/** The Representations of one video AdaptationSet that fit under the cap, with maxWidth/maxHeight kept true. */
const filterAdaptationSet = (set: string, maxHeight: number): string => {
  if (!isVideoSet(set)) return set;
  const kept: { width: number; height: number }[] = [];
  let listed = 0;
  const filtered = set.replace(representation, (element) => {
    listed += 1;
    const height = Number(attribute(element, 'height'));
    if (Number.isFinite(height) && height > maxHeight) return '';
    if (Number.isFinite(height)) kept.push({ width: Number(attribute(element, 'width')) || 0, height });
    return element;
  });
  if (listed > 0 && filtered.match(representation) === null) return '';
  if (kept.length === 0) return filtered;
  const openTag = openTagOf(filtered);
  let tag = withAttribute(openTag, 'maxHeight', String(Math.max(...kept.map((rung) => rung.height))));
  tag = withAttribute(tag, 'maxWidth', String(Math.max(...kept.map((rung) => rung.width))));
  return filtered.replace(openTag, tag);
};

export const rewriteDashManifest = (mpd: string, rewrite: DashRewrite): string => {
  const { maxHeight } = rewrite;
  let text = maxHeight === null ? mpd : mpd.replace(adaptationSet, (set) => filterAdaptationSet(set, maxHeight));

  // MPD-level BaseURL and ContentSteering are the node's to write: any stored ones go.
  const firstPeriod = text.search(/<Period\b/);
  const head = firstPeriod < 0 ? text : text.slice(0, firstPeriod);
  const body = firstPeriod < 0 ? '' : text.slice(firstPeriod);
  const cleaned = head
    .replace(/[ \t]*<BaseURL\b[^>]*?(?:\/>|>[\s\S]*?<\/BaseURL>)[ \t]*\r?\n?/g, '')
    .replace(/[ \t]*<ContentSteering\b[^>]*?(?:\/>|>[\s\S]*?<\/ContentSteering>)[ \t]*\r?\n?/g, '');
  text = cleaned + body;

  const indent = /\n([ \t]+)<(?:ProgramInformation|Period)\b/.exec(text)?.[1] ?? '\t';
  const added = [
    ...rewrite.baseUrls.map(
      ({ serviceLocation, url }) =>
        `${indent}<BaseURL serviceLocation="${escapeXml(serviceLocation)}">${escapeXml(url)}</BaseURL>\n`,
    ),
    `${indent}<ContentSteering defaultServiceLocation="${escapeXml(rewrite.steering.defaultServiceLocation)}" queryBeforeStart="false">${escapeXml(rewrite.steering.url)}</ContentSteering>\n`,
  ].join('');

  // Where the schema puts them: after ProgramInformation, else first in the MPD.
  const programInformation = /<ProgramInformation\b[^>]*?(?:\/>|>[\s\S]*?<\/ProgramInformation>)[ \t]*\r?\n?/.exec(
    text,
  );
  if (programInformation) {
    const end = programInformation.index + programInformation[0].length;
    const newline = programInformation[0].endsWith('\n') ? '' : '\n';
    return `${text.slice(0, end)}${newline}${added}${text.slice(end)}`;
  }
  const mpdOpen = /<MPD\b[^>]*>[ \t]*\r?\n?/.exec(text);
  if (!mpdOpen) throw new Error('the manifest has no MPD element');
  const end = mpdOpen.index + mpdOpen[0].length;
  const newline = mpdOpen[0].endsWith('\n') ? '' : '\n';
  return `${text.slice(0, end)}${newline}${added}${text.slice(end)}`;
};
