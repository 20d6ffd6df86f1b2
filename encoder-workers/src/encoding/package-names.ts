/**
 * ffmpeg names representations by stream index (`init-2.m4s`, `media_0.m3u8`); a package names
 * them by what they hold (`init-v720.m4s`, `media-a0.m3u8`), so a server can tell a file's rung
 * from its name alone (see videoHeightOfFile). This plans the renames and the text rewrites of
 * the manifest and playlists that go with them; name-package-files.ts applies the plan.
 */
import { canonicalLanguage } from '@marquee/domain';
import { audioRepresentationId, videoRepresentationId } from '@marquee/platform';
import { attributeOf, mergeVideoAdaptationSets, representationAttributes } from './merge-video-adaptation-sets';
import {
  adaptationSetsOf,
  type CaptionsSet,
  labelAudioSets,
  type ThumbnailsSet,
  withCaptionAndThumbnailSets,
  withMasterTracks,
} from './package-manifest-tracks';
import { audioRenditions } from './package-tracks';
import type { BitRates } from './segment-bit-rates';
import { UnexpectedPackage } from './unexpected-package';

export type PackageNamesPlan = {
  /** New text for files, by their name as ffmpeg wrote them (before any rename). */
  rewrites: Record<string, string>;
  renames: { from: string; to: string }[];
};

export type FfmpegPackage = {
  /** Every file name in the package folder. */
  files: readonly string[];
  manifestFile: string;
  manifest: string;
  masterFile: string;
  master: string;
  /** The text of each `media_<n>.m3u8`, by file name. */
  mediaPlaylists: Readonly<Record<string, string>>;
  /** What the segments of each `media_<n>.m3u8` weigh (measureBitRates), by file name. */
  bitRates: ReadonlyMap<string, BitRates>;
};

export const isFfmpegMediaPlaylist = (file: string) => /^media_\d+\.m3u8$/.test(file);

/** What the package carries beside its video, for the manifest and master to say. */
export type PackageTrackTexts = {
  /** In the order ffmpeg mapped them; when absent, each is named by the language ffmpeg wrote into its set. */
  audio?: readonly { language: string | null; trackId: string | null }[];
  captions?: readonly CaptionsSet[];
  thumbnails?: ThumbnailsSet | null;
  /** n of the first audio track's id (`a<n>`): a revision's new tracks follow its base's. */
  firstAudioIndex?: number;
};

/** ffmpeg's Representation id → the package's, from what each Representation holds. */
const representationIds = (manifest: string, firstAudioIndex: number): Map<string, string> => {
  const ids = new Map<string, string>();
  let audio = firstAudioIndex;
  for (const [representation] of manifest.matchAll(/<Representation\b[^>]*>/g)) {
    const attributes = representationAttributes(`${representation}`);
    const id = attributeOf(attributes, 'id');
    const mimeType = attributeOf(attributes, 'mimeType') ?? '';
    const height = Number(attributeOf(attributes, 'height'));
    if (id === undefined) throw new UnexpectedPackage('a Representation has no id');
    const named = mimeType.startsWith('video/')
      ? Number.isInteger(height) && height > 0
        ? videoRepresentationId(height)
        : undefined
      : mimeType.startsWith('audio/')
        ? audioRepresentationId(audio++)
        : undefined;
    if (named === undefined)
      throw new UnexpectedPackage(`Representation ${id} is neither video with a height nor audio`);
    if ([...ids.values()].includes(named)) throw new UnexpectedPackage(`two Representations would both be ${named}`);
    ids.set(id, named);
  }
  return ids;
};

const filePatterns: { pattern: RegExp; name: (id: string, rest: string) => string }[] = [
  { pattern: /^init-(\d+)\.m4s$/, name: (id) => `init-${id}.m4s` },
  { pattern: /^segment-(\d+)-(\d+\.m4s)$/, name: (id, rest) => `segment-${id}-${rest}` },
  { pattern: /^media_(\d+)\.m3u8$/, name: (id) => `media-${id}.m3u8` },
];

/** The package's name for a file ffmpeg wrote, or the same name for a file of no representation. */
const renamer = (ids: ReadonlyMap<string, string>) => (file: string) => {
  for (const { pattern, name } of filePatterns) {
    const match = pattern.exec(file);
    if (!match) continue;
    const id = ids.get(match[1] ?? '');
    if (id === undefined) throw new UnexpectedPackage(`${file} belongs to no Representation of the manifest`);
    return name(id, match[2] ?? '');
  }
  return file;
};

const uriAttribute = /URI="([^"]*)"/g;

/** URI lines and URI="…" attributes renamed, `drop` lines left out, `insert.line` added after `insert.after` unless there. */
const rewritePlaylist = (
  text: string,
  rename: (file: string) => string,
  options: { drop?: RegExp; insert?: { after: string; line: string } } = {},
) =>
  text
    .split('\n')
    .filter((line) => !options.drop?.test(line))
    .flatMap((line) => {
      const renamed =
        line === ''
          ? line
          : line.startsWith('#')
            ? line.replace(uriAttribute, (_, uri: string) => `URI="${rename(uri)}"`)
            : rename(line);
      const { insert } = options;
      return insert && line.startsWith(insert.after) && !text.includes(insert.line)
        ? [renamed, insert.line]
        : [renamed];
    })
    .join('\n');

export const planPackageNames = (written: FfmpegPackage, tracks: PackageTrackTexts = {}): PackageNamesPlan => {
  const ids = representationIds(written.manifest, tracks.firstAudioIndex ?? 0);
  const rename = renamer(ids);

  const renamed = mergeVideoAdaptationSets(written.manifest).replace(
    /(<Representation\b[^>]*\sid=")([^"]*)(")/g,
    (_, before: string, id: string, after: string) => `${before}${ids.get(id) ?? id}${after}`,
  );
  const audioSets = adaptationSetsOf(renamed).filter((set) => set.contentType === 'audio');
  if (tracks.audio !== undefined && tracks.audio.length !== audioSets.length) {
    throw new UnexpectedPackage(
      `the manifest has ${audioSets.length} audio sets for ${tracks.audio.length} audio tracks`,
    );
  }
  // ffmpeg names a rendition "audio_<stream>" in a group of its own naming and writes no
  // LANGUAGE; the package names each by its language, in one group every variant points at.
  const audio = audioRenditions(
    audioSets.map((set, index) => ({
      id: set.representationIds[0] ?? '',
      language: tracks.audio?.[index]?.language ?? canonicalLanguage(attributeOf(set.attributes, 'lang') ?? '') ?? null,
      trackId: tracks.audio?.[index]?.trackId ?? null,
    })),
  );
  const sideTracks = { captions: tracks.captions ?? [], thumbnails: tracks.thumbnails ?? null };
  const manifest = withCaptionAndThumbnailSets(labelAudioSets(renamed, audio), sideTracks);
  // Every segment starts with a keyframe (forced at each segment boundary), which lets a player
  // start or switch at any segment; Apple's players want it said.
  const master = withMasterTracks(
    rewritePlaylist(written.master, rename, {
      insert: { after: '#EXT-X-VERSION:', line: '#EXT-X-INDEPENDENT-SEGMENTS' },
    }),
    { audio, ...sideTracks, bitRates: new Map([...written.bitRates].map(([file, rates]) => [rename(file), rates])) },
  );
  const mediaPlaylists = Object.entries(written.mediaPlaylists).map(([file, text]) => [
    file,
    // The date-times ffmpeg writes are when the encode ran, which no viewer needs, and they
    // would make two encodes of one source differ.
    rewritePlaylist(text, rename, {
      drop: /^#EXT-X-PROGRAM-DATE-TIME:/,
      insert: { after: '#EXT-X-TARGETDURATION:', line: '#EXT-X-PLAYLIST-TYPE:VOD' },
    }),
  ]);

  return {
    rewrites: {
      [written.manifestFile]: manifest,
      [written.masterFile]: master,
      ...Object.fromEntries(mediaPlaylists),
    },
    renames: written.files.flatMap((file) => {
      const to = rename(file);
      return to === file ? [] : [{ from: file, to }];
    }),
  };
};
