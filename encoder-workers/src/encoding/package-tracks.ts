/**
 * What a package carries beside its video, planned before ffmpeg runs: which audio streams and
 * files become which tracks (and what a menu calls them), and the seek-preview grid.
 */
import { canonicalLanguage, languageName, type SourceProbe, type ThumbnailGrid } from '@marquee/domain';
import { audioRepresentationId } from '@marquee/platform';

/** An audio file added to the title (AudioTrackAdded), packaged as its own track. */
export type ExtraAudioTrack = { trackId: string; language: string; path: string };

/** One audio track of a package, in the order of `tracks.audio`. */
export type AudioTrackPlan = {
  /** Representation id, `a<n>`: names its files and its Representation. */
  id: string;
  language: string | null;
  /** Null for a stream of the source. */
  trackId: string | null;
  /** What ffmpeg maps: `0:a:<n>` for the source's n-th audio stream, `<input>:a:0` for a file. */
  map: string;
  /** The extra file, for a track that is one. */
  path: string | null;
};

/** An audio track as the manifest and master describe it. */
export type AudioRendition = {
  id: string;
  language: string | null;
  /** Unique among the package's tracks: HLS wants one NAME per rendition of a group. */
  name: string;
  role: 'main' | 'dub' | 'alternate';
};

export const thumbnailTileWidth = 160;
export const thumbnailColumns = 5;
export const thumbnailRows = 5;
const longestThumbnailInterval = 10;
/** A short title still gets at least this many previews along its seek bar. */
const fewestThumbnails = 12;

/**
 * The source's audio streams as tracks, then the extra files: a language given at upload wins
 * over the stream's tag (a null there means "not said", so the tag still counts).
 */
export const planAudioTracks = ({
  probe,
  audioLanguages,
  audioTracks = [],
}: {
  probe: SourceProbe;
  audioLanguages?: readonly (string | null)[];
  audioTracks?: readonly ExtraAudioTrack[];
}): AudioTrackPlan[] => {
  // A probe from before tracks existed names the first stream's codec only.
  const streams = probe.audioStreams ?? (probe.audioCodec === null ? [] : [{ language: null }]);
  const fromSource = streams.map((stream, index) => ({
    language: audioLanguages?.[index] ?? stream.language,
    trackId: null,
    map: `0:a:${index}`,
    path: null,
  }));
  const fromFiles = audioTracks.map((track, index) => ({
    language: canonicalLanguage(track.language) ?? null,
    trackId: track.trackId,
    map: `${index + 1}:a:0`,
    path: track.path,
  }));
  return [...fromSource, ...fromFiles].map((track, index) => ({ ...track, id: audioRepresentationId(index) }));
};

/** Names and roles, in track order: the first is the main track, an added file a dub, another source stream an alternate. */
export const audioRenditions = (
  tracks: readonly { id: string; language: string | null; trackId: string | null }[],
): AudioRendition[] => {
  const seen = new Map<string, number>();
  return tracks.map((track, index) => {
    const base = track.language === null ? 'Original audio' : languageName(track.language);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return {
      id: track.id,
      language: track.language,
      name: count === 1 ? base : `${base} ${count}`,
      role: index === 0 ? 'main' : track.trackId === null ? 'alternate' : 'dub',
    };
  });
};

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/**
 * One frame every 10 s, or more often for a short title so its seek bar still has a dozen
 * previews (whole seconds, at least 1: the DASH template counts in seconds); 160 px wide tiles.
 */
export const planThumbnails = (probe: Pick<SourceProbe, 'durationSeconds' | 'width' | 'height'>): ThumbnailGrid => ({
  intervalSeconds: Math.max(
    1,
    Math.min(longestThumbnailInterval, Math.floor(probe.durationSeconds / fewestThumbnails)),
  ),
  columns: thumbnailColumns,
  rows: thumbnailRows,
  tileWidth: Math.min(thumbnailTileWidth, even(probe.width)),
  tileHeight: even((Math.min(thumbnailTileWidth, even(probe.width)) * probe.height) / probe.width),
});

export const thumbnailsPlaylistFileName = 'thumbnails.m3u8';
export const captionsFileName = (language: string) => `captions-${language}.vtt`;
export const captionsPlaylistFileName = (language: string) => `captions-${language}.m3u8`;
