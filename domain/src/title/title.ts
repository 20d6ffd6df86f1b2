import type { z } from 'zod';
import type { Decider } from '../decider';
import {
  EncodingAlreadyFinished,
  EncodingNotFound,
  InvalidMarkers,
  InvalidTitleMetadata,
  NoIntroProposal,
  NothingToUpdate,
  SourceNotFound,
  TitleAlreadyExists,
  TitleAlreadyPublished,
  TitleNotEncoded,
  TitleNotFound,
  TitleNotPublished,
} from './title-errors';
import {
  type EpisodePlace,
  episodePlace,
  type LadderRung,
  type MarkerRange,
  markerRange,
  type PackageIndexSummary,
  type PackageTracks,
  type SourceProbe,
  type TitleEvent,
  type TitleMetadata,
  titleMetadata,
} from './title-events';

export type TitleCommand =
  | ({ type: 'CreateTitle'; titleId: string; episodeOf?: EpisodePlace; at: string } & TitleMetadata)
  | { type: 'UpdateTitleMetadata'; changes: Partial<TitleMetadata>; at: string }
  | {
      type: 'RecordSourceUpload';
      uploadId: string;
      path: string;
      sizeBytes: number;
      sha256: string;
      probe: SourceProbe;
      /** The languages of its audio streams, in order, as the content team gave them. */
      audioLanguages?: (string | null)[];
      at: string;
    }
  | {
      type: 'RecordEncodingStarted';
      encodingId: string;
      uploadId: string;
      /** A revision of this succeeded encoding: its video, the title's tracks as they are now. */
      revisionOf?: string;
      at: string;
    }
  | {
      type: 'RecordEncodingSucceeded';
      encodingId: string;
      ladder: LadderRung[];
      manifestPath: string;
      packageIndex: PackageIndexSummary;
      durationSeconds: number;
      encodeSeconds: number;
      tracks?: PackageTracks;
      at: string;
    }
  | {
      type: 'RecordEncodingFailed';
      encodingId: string;
      /** Its source: an encoding that failed before its start was recorded (a lost or cancelled job) is recorded as both. */
      uploadId?: string;
      reason: string;
      at: string;
    }
  | { type: 'PublishTitle'; at: string }
  | { type: 'UnpublishTitle'; at: string }
  /** The content team's intro and credits (null clears one). */
  | { type: 'SetMarkers'; intro: MarkerRange | null; credits: MarkerRange | null; at: string }
  /** Intro detection's proposal for this episode. */
  | { type: 'ProposeIntro'; intro: MarkerRange; at: string }
  /** The content team takes the proposed intro as it is (credits stay as they are). */
  | { type: 'AcceptIntroProposal'; at: string }
  /** An audio file in one language, uploaded beside the source; `trackId` is its upload's id. */
  | {
      type: 'AddAudioTrack';
      trackId: string;
      language: string;
      path: string;
      sizeBytes: number;
      sha256: string;
      at: string;
    }
  /** A WebVTT file already read and checked at the boundary. */
  | { type: 'AddCaptions'; language: string; path: string; sha256: string; cueCount: number; at: string };

export type Markers = { intro: MarkerRange | null; credits: MarkerRange | null };

export type Encoding =
  | { encodingId: string; uploadId: string; status: 'running'; revisionOf?: string }
  | { encodingId: string; uploadId: string; status: 'failed'; reason: string }
  | {
      encodingId: string;
      uploadId: string;
      status: 'succeeded';
      ladder: LadderRung[];
      manifestPath: string;
      durationSeconds: number;
      /** Null for an encoding made before tracks were recorded. */
      tracks: PackageTracks | null;
      revisionOf: string | null;
    };

export type AudioTrack = { trackId: string; language: string; path: string };
export type Captions = { language: string; path: string; sha256: string };

export type TitleState =
  | { status: 'none' }
  | {
      status: 'created';
      titleId: string;
      metadata: TitleMetadata;
      /** Each recorded source: where it is kept (`SourceUploaded.path`) and what it holds. */
      uploads: { uploadId: string; path: string; probe: SourceProbe; audioLanguages: (string | null)[] | null }[];
      /** Audio from files of its own, one per language (the newest). */
      audioTracks: AudioTrack[];
      /** Every audio track ever recorded, replaced ones too. */
      audioTrackIds: string[];
      /** One per language (the newest). */
      captions: Captions[];
      encodings: Encoding[];
      /** The newest successful encoding, the one a publish would put live. */
      latestEncodingId: string | null;
      published: { encodingId: string; manifestPath: string } | null;
      /** Null for a film. */
      episodeOf: EpisodePlace | null;
      markers: Markers;
      introProposal: MarkerRange | null;
    };

type Created = Extract<TitleState, { status: 'created' }>;

/** Metadata as the schema reads it, or InvalidTitleMetadata naming every field that is wrong. */
export const validMetadata = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new InvalidTitleMetadata(
      parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'metadata', message: issue.message })),
    );
  return parsed.data;
};

const findEncoding = (state: Created, encodingId: string): Encoding => {
  const encoding = state.encodings.find((e) => e.encodingId === encodingId);
  if (!encoding) throw new EncodingNotFound(encodingId);
  return encoding;
};

/**
 * The fields of an update that differ from the metadata now (valid, or InvalidTitleMetadata);
 * an update naming no field at all is refused.
 */
export const changedMetadata = (current: TitleMetadata, changes: Partial<TitleMetadata>): Partial<TitleMetadata> => {
  if (Object.keys(changes).length === 0) throw new NothingToUpdate();
  const valid = validMetadata(titleMetadata.partial(), changes);
  return Object.fromEntries(
    Object.entries(valid).filter(
      ([field, value]) =>
        value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field as keyof TitleMetadata]),
    ),
  );
};

/** The fields an update event sets (an absent or undefined field leaves the value as it was). */
export const definedChanges = <Changes extends object>(changes: Changes): Partial<Changes> =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<Changes>;

/** The encoding a viewer would watch now, if the title is published. */
export const publishedEncoding = (state: TitleState): Extract<Encoding, { status: 'succeeded' }> | null => {
  if (state.status !== 'created' || !state.published) return null;
  const { encodingId } = state.published;
  const encoding = state.encodings.find((e) => e.encodingId === encodingId);
  return encoding?.status === 'succeeded' ? encoding : null;
};

type Succeeded = Extract<Encoding, { status: 'succeeded' }>;

/** The newest succeeded encoding: what a revision starts from, and what a publish puts live. */
export const latestEncoding = (state: TitleState): Succeeded | null => {
  if (state.status !== 'created') return null;
  const latest = state.encodings.find((e) => e.encodingId === state.latestEncodingId);
  return latest?.status === 'succeeded' ? latest : null;
};

/**
 * Whether an encoding lacks an audio track or captions the title has now (a revision would
 * add them), or still carries captions since replaced.
 */
export const encodingLacksTracks = (state: TitleState, encoding: Succeeded): boolean => {
  if (state.status !== 'created') return false;
  const tracks = encoding.tracks ?? { audio: [], captions: [], thumbnails: null };
  const audio = state.audioTracks.some((track) => !tracks.audio.some((a) => a.trackId === track.trackId));
  const captions =
    state.captions.length !== tracks.captions.length ||
    state.captions.some((c) => !tracks.captions.some((t) => t.language === c.language && t.sha256 === c.sha256));
  return audio || captions;
};

const decide = (command: TitleCommand, state: TitleState): TitleEvent[] => {
  if (command.type === 'CreateTitle') {
    if (state.status === 'created') throw new TitleAlreadyExists(state.titleId);
    const { type: _, titleId, at, episodeOf, ...metadata } = command;
    const place = episodeOf === undefined ? {} : { episodeOf: validMetadata(episodePlace, episodeOf) };
    return [{ type: 'TitleCreated', data: { titleId, at, ...validMetadata(titleMetadata, metadata), ...place } }];
  }
  if (state.status !== 'created') throw new TitleNotFound();
  const { titleId } = state;
  switch (command.type) {
    case 'UpdateTitleMetadata': {
      const changed = changedMetadata(state.metadata, command.changes);
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'TitleMetadataUpdated', data: { titleId, ...changed, at: command.at } }];
    }
    case 'RecordSourceUpload': {
      if (state.uploads.some((u) => u.uploadId === command.uploadId)) return [];
      const { type: _, ...upload } = command;
      return [{ type: 'SourceUploaded', data: { titleId, ...upload } }];
    }
    case 'RecordEncodingStarted': {
      const existing = state.encodings.find((e) => e.encodingId === command.encodingId);
      if (existing) {
        // A worker that retries a job records the start again: nothing new happened.
        if (existing.status === 'running') return [];
        throw new EncodingAlreadyFinished(existing.encodingId, existing.status);
      }
      if (!state.uploads.some((u) => u.uploadId === command.uploadId)) throw new SourceNotFound(command.uploadId);
      const { encodingId, uploadId, revisionOf, at } = command;
      if (revisionOf !== undefined) {
        const base = findEncoding(state, revisionOf);
        if (base.status !== 'succeeded') throw new EncodingNotFound(revisionOf);
      }
      const revision = revisionOf === undefined ? {} : { revisionOf };
      return [{ type: 'EncodingStarted', data: { titleId, encodingId, uploadId, ...revision, at } }];
    }
    case 'RecordEncodingSucceeded': {
      const encoding = findEncoding(state, command.encodingId);
      if (encoding.status === 'succeeded') return [];
      if (encoding.status === 'failed') throw new EncodingAlreadyFinished(encoding.encodingId, 'failed');
      const { type: _, ...result } = command;
      const succeeded: TitleEvent = { type: 'EncodingSucceeded', data: { titleId, ...result } };
      // A revision of what viewers watch goes live with it; viewers mid-way finish the one they started.
      const base = encoding.revisionOf;
      if (base === undefined || state.published?.encodingId !== base) return [succeeded];
      const { encodingId, manifestPath, at } = command;
      return [succeeded, { type: 'TitlePublished', data: { titleId, encodingId, manifestPath, at } }];
    }
    case 'RecordEncodingFailed': {
      const { encodingId, uploadId, reason, at } = command;
      const failed: TitleEvent = { type: 'EncodingFailed', data: { titleId, encodingId, reason, at } };
      const known = state.encodings.some((e) => e.encodingId === encodingId);
      if (!known && uploadId !== undefined) {
        if (!state.uploads.some((u) => u.uploadId === uploadId)) throw new SourceNotFound(uploadId);
        return [{ type: 'EncodingStarted', data: { titleId, encodingId, uploadId, at } }, failed];
      }
      const encoding = findEncoding(state, encodingId);
      if (encoding.status === 'failed') return [];
      if (encoding.status === 'succeeded') throw new EncodingAlreadyFinished(encoding.encodingId, 'succeeded');
      return [failed];
    }
    case 'PublishTitle': {
      if (!state.latestEncodingId) {
        const running = state.encodings.some((e) => e.status === 'running');
        throw new TitleNotEncoded(
          titleId,
          running
            ? 'its encoding is still running'
            : state.uploads.length === 0
              ? 'no source has been uploaded'
              : 'no encoding has succeeded',
        );
      }
      if (state.published?.encodingId === state.latestEncodingId)
        throw new TitleAlreadyPublished(titleId, state.latestEncodingId);
      const encoding = findEncoding(state, state.latestEncodingId);
      if (encoding.status !== 'succeeded') throw new TitleNotEncoded(titleId, 'no encoding has succeeded');
      return [
        {
          type: 'TitlePublished',
          data: { titleId, encodingId: encoding.encodingId, manifestPath: encoding.manifestPath, at: command.at },
        },
      ];
    }
    case 'UnpublishTitle': {
      if (!state.published) throw new TitleNotPublished(titleId);
      return [{ type: 'TitleUnpublished', data: { titleId, encodingId: state.published.encodingId, at: command.at } }];
    }
    case 'SetMarkers': {
      const markers = validMarkers(state, { intro: command.intro, credits: command.credits });
      if (sameMarkers(markers, state.markers)) return [];
      return [{ type: 'TitleMarkersSet', data: { titleId, ...markers, at: command.at } }];
    }
    case 'ProposeIntro': {
      const { intro } = validMarkers(state, { intro: command.intro, credits: null });
      if (intro === null || sameRange(intro, state.introProposal)) return [];
      return [{ type: 'IntroProposed', data: { titleId, intro, at: command.at } }];
    }
    case 'AddAudioTrack': {
      // A retried upload's track is recorded once, even after a newer one replaced it.
      if (state.audioTrackIds.includes(command.trackId)) return [];
      const { type: _, ...track } = command;
      return [{ type: 'AudioTrackAdded', data: { titleId, ...track } }];
    }
    case 'AddCaptions': {
      const current = state.captions.find((c) => c.language === command.language);
      if (current?.sha256 === command.sha256) return [];
      const { type: _, ...captions } = command;
      return [{ type: 'CaptionsAdded', data: { titleId, ...captions } }];
    }
    case 'AcceptIntroProposal': {
      if (!state.introProposal) throw new NoIntroProposal(titleId);
      const markers = validMarkers(state, { intro: state.introProposal, credits: state.markers.credits });
      if (sameMarkers(markers, state.markers)) return [];
      return [{ type: 'TitleMarkersSet', data: { titleId, ...markers, at: command.at } }];
    }
  }
};

const sameRange = (a: MarkerRange | null, b: MarkerRange | null) =>
  a === b || (a !== null && b !== null && a.startSeconds === b.startSeconds && a.endSeconds === b.endSeconds);
const sameMarkers = (a: Markers, b: Markers) => sameRange(a.intro, b.intro) && sameRange(a.credits, b.credits);

/**
 * Markers that fit the title: each a valid range, inside the latest encoding's duration once one
 * has succeeded, and the intro over before the credits begin.
 */
const validMarkers = (state: Created, markers: Markers): Markers => {
  const problems: { field: string; message: string }[] = [];
  const checked: Markers = { intro: null, credits: null };
  const latest = state.encodings.find((e) => e.encodingId === state.latestEncodingId);
  const duration = latest?.status === 'succeeded' ? latest.durationSeconds : null;
  for (const field of ['intro', 'credits'] as const) {
    const value = markers[field];
    if (value === null) continue;
    const parsed = markerRange.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ field: [field, ...issue.path].join('.'), message: issue.message });
      continue;
    }
    if (duration !== null && parsed.data.endSeconds > duration + 1)
      problems.push({ field, message: `must end within the title's ${duration} s` });
    checked[field] = parsed.data;
  }
  if (checked.intro && checked.credits && checked.intro.endSeconds > checked.credits.startSeconds)
    problems.push({ field: 'credits', message: 'must start after the intro ends' });
  if (problems.length > 0) throw new InvalidMarkers(problems);
  return checked;
};

const replaceEncoding = (state: Created, next: Encoding): Encoding[] =>
  state.encodings.map((e) => (e.encodingId === next.encodingId ? next : e));

const evolve = (state: TitleState, event: TitleEvent): TitleState => {
  if (event.type === 'TitleCreated') {
    const { titleId, at: _, episodeOf: __, ...metadata } = event.data;
    return {
      status: 'created',
      titleId,
      metadata,
      uploads: [],
      audioTracks: [],
      audioTrackIds: [],
      captions: [],
      encodings: [],
      latestEncodingId: null,
      published: null,
      episodeOf: event.data.episodeOf ?? null,
      markers: { intro: null, credits: null },
      introProposal: null,
    };
  }
  if (state.status !== 'created') return state;
  switch (event.type) {
    case 'TitleMetadataUpdated': {
      const { titleId: _, at: __, ...changes } = event.data;
      return { ...state, metadata: { ...state.metadata, ...definedChanges(changes) } };
    }
    case 'SourceUploaded': {
      const { uploadId, path, probe } = event.data;
      const audioLanguages = event.data.audioLanguages ?? null;
      return { ...state, uploads: [...state.uploads, { uploadId, path, probe, audioLanguages }] };
    }
    case 'AudioTrackAdded': {
      const { trackId, language, path } = event.data;
      const others = state.audioTracks.filter((track) => track.language !== language);
      return {
        ...state,
        audioTracks: [...others, { trackId, language, path }],
        audioTrackIds: [...state.audioTrackIds, trackId],
      };
    }
    case 'CaptionsAdded': {
      const { language, path, sha256 } = event.data;
      const others = state.captions.filter((c) => c.language !== language);
      return { ...state, captions: [...others, { language, path, sha256 }] };
    }
    case 'EncodingStarted': {
      const { encodingId, uploadId, revisionOf } = event.data;
      const revision = revisionOf === undefined ? {} : { revisionOf };
      return { ...state, encodings: [...state.encodings, { encodingId, uploadId, status: 'running', ...revision }] };
    }
    case 'EncodingSucceeded': {
      const { encodingId, ladder, manifestPath, durationSeconds } = event.data;
      const started = state.encodings.find((e) => e.encodingId === encodingId);
      const uploadId = started?.uploadId ?? '';
      const revisionOf = started?.status === 'running' ? (started.revisionOf ?? null) : null;
      const tracks = event.data.tracks ?? null;
      const encoding: Encoding = {
        encodingId,
        uploadId,
        status: 'succeeded',
        ladder,
        manifestPath,
        durationSeconds,
        tracks,
        revisionOf,
      };
      // A revision of an encoding that a newer one has since overtaken does not overtake it in turn.
      const overtaken = revisionOf !== null && state.latestEncodingId !== null && state.latestEncodingId !== revisionOf;
      return {
        ...state,
        encodings: replaceEncoding(state, encoding),
        latestEncodingId: overtaken ? state.latestEncodingId : encodingId,
      };
    }
    case 'EncodingFailed': {
      const { encodingId, reason } = event.data;
      const uploadId = state.encodings.find((e) => e.encodingId === encodingId)?.uploadId ?? '';
      return { ...state, encodings: replaceEncoding(state, { encodingId, uploadId, status: 'failed', reason }) };
    }
    case 'TitlePublished':
      return { ...state, published: { encodingId: event.data.encodingId, manifestPath: event.data.manifestPath } };
    case 'TitleUnpublished':
      return { ...state, published: null };
    case 'TitleMarkersSet':
      return { ...state, markers: { intro: event.data.intro, credits: event.data.credits } };
    case 'IntroProposed':
      return { ...state, introProposal: event.data.intro };
  }
};

export const titleDecider: Decider<TitleCommand, TitleState, TitleEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
