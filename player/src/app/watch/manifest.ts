/*
 * The manifest as the player hands it to dash.js. POST /playback ranks the places that hold the
 * title (edges first, origin last); the manifest is fetched from the first that answers, and
 * one <BaseURL> per place is written into it in rank order, so that when the serving edge dies
 * dash.js moves its segment requests to the next place by itself (BaseURL failover).
 * Plain string work, no DOM, so it runs and is tested anywhere.
 */

/** One ranked place to fetch the title from, as POST /playback answers it. */
export type RankedManifest = { url: string; edgeId: string | null; region?: string | null };

/** Where a package's files live on one place, and how dash.js names that place. */
export type PackageLocation = {
  /** Absolute, ending in '/': `…/content/<titleId>/<encodingId>/`. */
  baseUrl: string;
  /** The BaseURL's serviceLocation: the edge id, or 'origin'. dash.js blacklists by it. */
  serviceLocation: string;
  /** 1 for the first ranked place. */
  priority: number;
  edgeId: string | null;
};

/** The same name the analysts' edge-qoe view gives sessions the origin served. */
export const originServiceLocation = 'origin';

const dvbNamespace = 'urn:dvb:dash:dash-extensions:2014-1';

/** `…/content/t/e/manifest.mpd?token=…` → `…/content/t/e/` (no query: the token travels per request). */
export const packageBaseUrl = (manifestUrl: string): string => {
  const url = new URL(manifestUrl);
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/[^/]*$/, '');
  return url.toString();
};

export const packageLocations = (manifests: readonly RankedManifest[]): PackageLocation[] =>
  manifests.map((manifest, index) => ({
    baseUrl: packageBaseUrl(manifest.url),
    serviceLocation: manifest.edgeId ?? originServiceLocation,
    priority: index + 1,
    edgeId: manifest.edgeId,
  }));

/**
 * The places in the order dash.js should try them once the manifest came from `answered`: the
 * ones ranked above it did not answer, so they go last (still there, should they come back).
 */
export const demoteUnanswered = (locations: readonly PackageLocation[], answered: number): PackageLocation[] =>
  [...locations.slice(answered), ...locations.slice(0, answered)].map((location, index) => ({
    ...location,
    priority: index + 1,
  }));

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The attributes of one start tag, e.g. `<Representation id="0" height="240">`. */
export const attributesOf = (startTag: string): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (const match of startTag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1] as string] = match[2] ?? match[3] ?? '';
  }
  return attributes;
};

export class NotAManifest extends Error {
  constructor() {
    super('The manifest is not a DASH MPD.');
    this.name = 'NotAManifest';
  }
}

/**
 * The manifest with one MPD-level <BaseURL> per location, in rank order (dash.js tries them
 * in document order, and `dvb:priority` says the same for DVB profiles). BaseURLs the MPD
 * already had at its top level are replaced; deeper relative ones resolve against ours.
 */
export const withBaseUrls = (mpd: string, locations: readonly PackageLocation[]): string => {
  const openTag = /<MPD\b[^>]*>/.exec(mpd);
  if (!openTag) throw new NotAManifest();
  const bodyStart = openTag.index + openTag[0].length;
  const firstPeriod = mpd.indexOf('<Period', bodyStart);
  const headEnd = firstPeriod === -1 ? mpd.length : firstPeriod;
  const head = mpd
    .slice(bodyStart, headEnd)
    .replace(/[ \t]*<BaseURL\b[^>]*\/>[ \t]*\r?\n?/g, '')
    .replace(/[ \t]*<BaseURL\b[^>]*>[\s\S]*?<\/BaseURL>[ \t]*\r?\n?/g, '');

  const mpdTag = /\bxmlns:dvb\s*=/.test(openTag[0])
    ? openTag[0]
    : openTag[0].replace(/\s*(\/?)>$/, ` xmlns:dvb="${dvbNamespace}"$1>`);
  const baseUrls = locations
    .map(
      (location) =>
        `\t<BaseURL serviceLocation="${escapeXml(location.serviceLocation)}" dvb:priority="${location.priority}" dvb:weight="1">${escapeXml(location.baseUrl)}</BaseURL>\n`,
    )
    .join('');

  // The schema puts BaseURL after ProgramInformation and before everything else in the head.
  const programInformation = [
    ...head.matchAll(/<ProgramInformation\b[^>]*\/>|<ProgramInformation\b[^>]*>[\s\S]*?<\/ProgramInformation>/g),
  ].at(-1);
  const insertAt = programInformation ? programInformation.index + programInformation[0].length : 0;
  const newHead = `${head.slice(0, insertAt)}\n${baseUrls}${head.slice(insertAt).replace(/^\r?\n/, '')}`;
  return `${mpd.slice(0, openTag.index)}${mpdTag}${newHead}${mpd.slice(headEnd)}`;
};

/** A video rung of the ladder as the manifest describes it. */
export type VideoRepresentation = { id: string; bandwidth: number; width: number | null; height: number | null };

const isVideo = (attributes: Record<string, string>) =>
  attributes.contentType === 'video' || (attributes.mimeType ?? '').startsWith('video/');

const numberOrNull = (value: string | undefined) => {
  const number = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : null;
};

/** Every video Representation of the manifest, in document order. */
export const videoRepresentations = (mpd: string): VideoRepresentation[] => {
  const representations: VideoRepresentation[] = [];
  for (const set of mpd.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)) {
    const setAttributes = attributesOf(set[1] ?? '');
    for (const representation of (set[2] ?? '').matchAll(/<Representation\b([^>]*?)\/?>/g)) {
      const attributes = { ...setAttributes, ...attributesOf(representation[1] ?? '') };
      if (!isVideo(attributes)) continue;
      const bandwidth = numberOrNull(attributes.bandwidth);
      if (bandwidth === null) continue;
      representations.push({
        id: attributes.id ?? '',
        bandwidth,
        width: numberOrNull(attributes.width),
        height: numberOrNull(attributes.height),
      });
    }
  }
  return representations;
};

/**
 * The video bitrate cap (kbps, for dash.js's `streaming.abr.maxBitrate.video`) that keeps the
 * ladder at or under the plan's height: the highest bitrate among the rungs that fit. null
 * when nothing needs capping. When no rung fits, the lowest rung is the best there is.
 */
export const videoBitrateCapKbps = (
  representations: readonly VideoRepresentation[],
  maxHeight: number | null,
): number | null => {
  if (maxHeight === null || representations.length === 0) return null;
  const fits = representations.filter((rep) => rep.height !== null && rep.height <= maxHeight);
  if (fits.length === representations.length) return null;
  const pool = fits.length > 0 ? fits : representations;
  const pick = fits.length > 0 ? Math.max : Math.min;
  return pick(...pool.map((rep) => rep.bandwidth)) / 1000;
};

/** The request URL with the content token added, for URLs under one of the locations only. */
export const withContentToken = (url: string, token: string, locations: readonly PackageLocation[]): string => {
  if (!locations.some((location) => url.startsWith(location.baseUrl))) return url;
  const parsed = new URL(url);
  if (parsed.searchParams.has('token')) return url;
  parsed.searchParams.set('token', token);
  return parsed.toString();
};

/** Which location a request URL goes to, if any. */
export const locationOf = (url: string, locations: readonly PackageLocation[]): PackageLocation | undefined =>
  locations.find((location) => url.startsWith(location.baseUrl));
