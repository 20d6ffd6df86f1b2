import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';
import { languageTag } from '../language/language';

/** From least to most restricted; a profile's maturity level is the highest it may watch. */
export const maturityRatings = ['all', '7+', '13+', '16+', '18+'] as const;
export type MaturityRating = (typeof maturityRatings)[number];
export const maturityRating = z.enum(maturityRatings);

export const titleMetadata = z.object({
  name: z.string().trim().min(1).max(200),
  synopsis: z.string().max(5000),
  genres: z.array(z.string().trim().min(1).max(40)).min(1).max(10),
  year: z.number().int().min(1888).max(2100),
  maturityRating,
});
export type TitleMetadata = z.infer<typeof titleMetadata>;

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const audioStream = z.object({
  codec: z.string().min(1),
  language: languageTag.nullable(),
  channels: z.number().int().positive().nullable(),
});
export type AudioStream = z.infer<typeof audioStream>;

export const sourceProbe = z.object({
  durationSeconds: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  frameRate: z.number().positive(),
  videoCodec: z.string().min(1),
  audioCodec: z.string().min(1).nullable(),
  /** Every audio stream in the source, in order, with the language its tags name; absent in probes made before tracks existed. */
  audioStreams: z.array(audioStream).optional(),
});
export type SourceProbe = z.infer<typeof sourceProbe>;

export const ladderRung = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  videoBitrateKbps: z.number().int().positive(),
});
export type LadderRung = z.infer<typeof ladderRung>;

/** A summary of the package's index.json: how many files, how many bytes, and the index's own hash. */
export const packageIndexSummary = z.object({
  files: z.number().int().positive(),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PackageIndexSummary = z.infer<typeof packageIndexSummary>;

/** Seek-preview sprites: one frame every `intervalSeconds`, `columns` × `rows` tiles of `tileWidth` × `tileHeight` per image. */
export const thumbnailGrid = z.object({
  intervalSeconds: z.number().positive(),
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
  tileWidth: z.number().int().positive(),
  tileHeight: z.number().int().positive(),
});
export type ThumbnailGrid = z.infer<typeof thumbnailGrid>;

/**
 * What a package carries beside its video: its audio tracks in order (`trackId` null for a stream
 * of the source itself, else the AudioTrackAdded that gave it), its captions by language and the
 * hash of the file they came from, and its seek-preview sprites.
 */
export const packageTracks = z.object({
  audio: z.array(z.object({ language: languageTag.nullable(), trackId: id.nullable() })),
  captions: z.array(z.object({ language: languageTag, sha256: sha256Hex })),
  thumbnails: thumbnailGrid.nullable(),
});
export type PackageTracks = z.infer<typeof packageTracks>;

/** Where an episode sits in its series: seasons and episodes are numbered from 1. */
export const episodePlace = z.object({
  seriesId: id,
  season: z.number().int().min(1).max(100),
  episode: z.number().int().min(1).max(1000),
});
export type EpisodePlace = z.infer<typeof episodePlace>;

/** A stretch of a title, in seconds from its start: its intro, or its credits. */
export const markerRange = z
  .object({ startSeconds: z.number().min(0), endSeconds: z.number().positive() })
  .refine((range) => range.endSeconds > range.startSeconds, { message: 'must end after it starts' });
export type MarkerRange = z.infer<typeof markerRange>;

/**
 * v1 of TitleCreated carried a single `genre`; v2 carries `genres`, because a title is often
 * in more than one. Version 1 events are still in old logs, so they are upcast on read. An
 * episode's TitleCreated names its series and place; a film's has no `episodeOf`.
 */
export const TitleCreated = eventSchema(
  'TitleCreated',
  titleMetadata.extend({ titleId: id, episodeOf: episodePlace.optional(), at: isoTime }),
  {
    version: 2,
    upcasters: {
      1: ({ genre, ...rest }) => ({ ...rest, genres: typeof genre === 'string' ? [genre] : [] }),
    },
  },
);
export const TitleMetadataUpdated = eventSchema(
  'TitleMetadataUpdated',
  titleMetadata.partial().extend({ titleId: id, at: isoTime }),
);
export const SourceUploaded = eventSchema(
  'SourceUploaded',
  z.object({
    titleId: id,
    uploadId: id,
    path: z.string().min(1),
    sizeBytes: z.number().int().positive(),
    sha256: sha256Hex,
    probe: sourceProbe,
    /** The languages of the source's audio streams, in order, as the content team gave them (over the stream's tags). */
    audioLanguages: z.array(languageTag.nullable()).optional(),
    at: isoTime,
  }),
);
/**
 * An encoding of an upload, or a revision of a succeeded encoding (`revisionOf`): the same video
 * segments with the title's audio tracks and captions as they are now.
 */
export const EncodingStarted = eventSchema(
  'EncodingStarted',
  z.object({ titleId: id, encodingId: id, uploadId: id, revisionOf: id.optional(), at: isoTime }),
);
export const EncodingSucceeded = eventSchema(
  'EncodingSucceeded',
  z.object({
    titleId: id,
    encodingId: id,
    ladder: z.array(ladderRung).min(1),
    manifestPath: z.string().min(1),
    packageIndex: packageIndexSummary,
    durationSeconds: z.number().positive(),
    encodeSeconds: z.number().nonnegative(),
    /** Absent from encodings made before tracks existed: one audio track of the source, no captions, no previews. */
    tracks: packageTracks.optional(),
    at: isoTime,
  }),
);
export const EncodingFailed = eventSchema(
  'EncodingFailed',
  z.object({ titleId: id, encodingId: id, reason: z.string().min(1), at: isoTime }),
);
export const TitlePublished = eventSchema(
  'TitlePublished',
  z.object({ titleId: id, encodingId: id, manifestPath: z.string().min(1), at: isoTime }),
);
export const TitleUnpublished = eventSchema('TitleUnpublished', z.object({ titleId: id, encodingId: id, at: isoTime }));

/** The content team set (or cleared, with null) where the intro and the credits are. */
export const TitleMarkersSet = eventSchema(
  'TitleMarkersSet',
  z.object({ titleId: id, intro: markerRange.nullable(), credits: markerRange.nullable(), at: isoTime }),
);
/** Intro detection proposed where this episode's intro is; the content team accepts or corrects it. */
export const IntroProposed = eventSchema('IntroProposed', z.object({ titleId: id, intro: markerRange, at: isoTime }));

/** An audio track in one language from its own file (a dub, an audio description); a later one in the same language replaces it. */
export const AudioTrackAdded = eventSchema(
  'AudioTrackAdded',
  z.object({
    titleId: id,
    trackId: id,
    language: languageTag,
    path: z.string().min(1),
    sizeBytes: z.number().int().positive(),
    sha256: sha256Hex,
    at: isoTime,
  }),
);
/** Captions in one language, kept as WebVTT (an SRT upload is converted); later ones in the same language replace them. */
export const CaptionsAdded = eventSchema(
  'CaptionsAdded',
  z.object({
    titleId: id,
    language: languageTag,
    path: z.string().min(1),
    sha256: sha256Hex,
    cueCount: z.number().int().positive(),
    at: isoTime,
  }),
);

export const titleEventSchemas = [
  TitleCreated,
  TitleMetadataUpdated,
  SourceUploaded,
  EncodingStarted,
  EncodingSucceeded,
  EncodingFailed,
  TitlePublished,
  TitleUnpublished,
  TitleMarkersSet,
  IntroProposed,
  AudioTrackAdded,
  CaptionsAdded,
] as const;

export type TitleEvent = EventOf<(typeof titleEventSchemas)[number]>;
