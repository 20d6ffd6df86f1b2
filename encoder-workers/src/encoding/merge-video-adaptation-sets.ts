/**
 * ffmpeg's DASH muxer refuses one adaptation set over square-pixel rungs whose rounded widths
 * give slightly different display aspects (426x240 is 1.775, 640x360 is 1.778), so the encode
 * writes one set per video rung and this puts them back into one: players switch rungs only
 * within a set. Text surgery on the MPD ffmpeg just wrote, whose layout is ffmpeg's own.
 */

import { UnexpectedPackage } from './unexpected-package';

type AdaptationSet = { indent: string; attributes: string; body: string };

const setPattern = /([ \t]*)<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>[ \t]*\r?\n?/g;
const representationPattern = /[ \t]*<Representation\b[\s\S]*?<\/Representation>/g;

export const attributeOf = (attributes: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(attributes)?.[1];

const withAttribute = (attributes: string, name: string, value: string) => {
  const pattern = new RegExp(`(\\s${name}=")[^"]*(")`);
  return pattern.test(attributes) ? attributes.replace(pattern, `$1${value}$2`) : `${attributes} ${name}="${value}"`;
};

const representationsOf = (set: AdaptationSet) => set.body.match(representationPattern) ?? [];

/** A Representation element's own attributes, without its children's. */
export const representationAttributes = (representation: string) =>
  representation.slice(0, representation.indexOf('>'));

const render = (set: AdaptationSet) => `${set.indent}<AdaptationSet${set.attributes}>${set.body}</AdaptationSet>\n`;

/** One set holding every video representation (in the order ffmpeg wrote them), then the other sets; set ids renumbered. */
export const mergeVideoAdaptationSets = (mpd: string): string => {
  const matches = [...mpd.matchAll(setPattern)];
  const first = matches[0];
  const last = matches.at(-1);
  if (first === undefined || last === undefined) throw new UnexpectedPackage('the manifest has no AdaptationSet');
  const start = first.index;
  const end = last.index + last[0].length;
  const between = mpd.slice(start, end).replace(setPattern, '');
  if (between.trim() !== '') throw new UnexpectedPackage('the adaptation sets in the manifest are not side by side');

  const sets = matches.map(([, indent = '', attributes = '', body = '']) => ({ indent, attributes, body }));
  const video = sets.filter((set) => attributeOf(set.attributes, 'contentType') === 'video');
  const others = sets.filter((set) => !video.includes(set));
  const merged: AdaptationSet[] = [];
  const [host] = video;
  if (host !== undefined) {
    if (video.some((set) => representationsOf(set).length === 0)) {
      throw new UnexpectedPackage('a video AdaptationSet in the manifest has no Representation');
    }
    const representations = video.flatMap(representationsOf);
    const largest = (name: string) =>
      Math.max(...representations.map((rep) => Number(attributeOf(representationAttributes(rep), name))));
    const width = largest('width');
    const height = largest('height');
    if (!Number.isInteger(width) || !Number.isInteger(height)) {
      throw new UnexpectedPackage('a video Representation in the manifest has no size');
    }
    // The tallest rung's aspect is the one closest to the source's.
    const tallest = video.find((set) =>
      representationsOf(set).some((rep) => attributeOf(representationAttributes(rep), 'height') === String(height)),
    );
    let attributes = withAttribute(
      withAttribute(host.attributes, 'maxWidth', String(width)),
      'maxHeight',
      String(height),
    );
    const par = tallest && attributeOf(tallest.attributes, 'par');
    if (par !== undefined) attributes = withAttribute(attributes, 'par', par);
    // Rungs of different sizes each need their own init segment (their SPS differ), so a
    // player may not splice one rung's segments onto another's init: no bitstream switching.
    if (representations.length > 1) attributes = attributes.replace(/\sbitstreamSwitching="[^"]*"/, '');
    // The host's own Representations make way for all of them, its other children stay.
    const own = representationsOf(host);
    const lastOwn = own.at(-1) ?? '';
    const from = host.body.indexOf(own[0] ?? '');
    const to = host.body.lastIndexOf(lastOwn) + lastOwn.length;
    merged.push({
      indent: host.indent,
      attributes,
      body: `${host.body.slice(0, from)}${representations.join('\n')}${host.body.slice(to)}`,
    });
  }
  const renumbered = [...merged, ...others].map((set, index) => ({
    ...set,
    attributes: withAttribute(set.attributes, 'id', String(index)),
  }));
  return `${mpd.slice(0, start)}${renumbered.map(render).join('')}${mpd.slice(end)}`;
};
