/*
 * Audio and caption tracks on dash.js. Before the source is attached, dash.js is told the
 * profile's audio language (so it fetches that track first) and to keep captions off; once the
 * stream is set up, the choice of track-choice is applied (the profile's language, else the main
 * audio; captions only in the profile's language) and every change is reported as TrackOptions.
 * Audio switches in place (trackSwitchMode alwaysReplace: the buffer ahead is replaced at the
 * current position, no reload); captions are the browser's own text tracks (WebVTT sidecar
 * files), which it draws over the video.
 */
import type { MediaInfo, MediaPlayerClass } from 'dashjs';
import {
  initialAudioTrack,
  initialCaptionTrack,
  type LanguagePreferences,
  languageLabel,
  type TrackOption,
} from './track-choice';

type Dashjs = typeof import('dashjs');

/** The tracks a stream has and the ones playing, as the page's menus show them. */
export type PlayerTracks = {
  audio: TrackOption[];
  captions: TrackOption[];
  /** The audio track playing. */
  audioId: string | null;
  /** The captions shown; null when off. */
  captionsId: string | null;
};

export const noTracks: PlayerTracks = { audio: [], captions: [], audioId: null, captionsId: null };

/** What dash.js says of a track that is read here (MediaInfo and TextTrackInfo have it). */
type DashTrack = Pick<MediaInfo, 'index' | 'lang' | 'labels' | 'roles'> & { label?: string | null };

const hasRole = (track: DashTrack, value: string) => (track.roles ?? []).some((role) => role.value === value);

export const trackOptionOf = (track: DashTrack, id: string): TrackOption => {
  const language = track.lang || null;
  return {
    id,
    language,
    label: track.labels?.[0]?.text || track.label || (language ? languageLabel(language) : 'Unknown language'),
    main: hasRole(track, 'main'),
  };
};

const audioIdOf = (track: DashTrack) => String(track.index);

export type DashTracks = {
  selectAudio: (id: string) => void;
  /** null: captions off. */
  selectCaptions: (id: string | null) => void;
};

/**
 * Wires track choice into a dash.js player that is not yet attached to its source; `changed` gets
 * every new state of the tracks.
 */
export const wireDashTracks = (
  dashjs: Dashjs,
  player: MediaPlayerClass,
  preferences: LanguagePreferences,
  changed: (tracks: PlayerTracks) => void,
): DashTracks => {
  const events = dashjs.MediaPlayer.events;
  let tracks = noTracks;
  /** The text tracks in the order dash.js added them: setTextTrack takes a place in this list. */
  let textTracks: DashTrack[] = [];

  const publish = (next: Partial<PlayerTracks>) => {
    tracks = { ...tracks, ...next };
    changed(tracks);
  };

  const audioTracks = () => player.getTracksFor('audio');

  const showAudio = () => {
    const current = player.getCurrentTrackFor('audio');
    publish({
      audio: audioTracks().map((track) => trackOptionOf(track, audioIdOf(track))),
      audioId: current ? audioIdOf(current) : null,
    });
  };

  const selectAudio = (id: string) => {
    const track = audioTracks().find((candidate) => audioIdOf(candidate) === id);
    if (!track) return;
    const current = player.getCurrentTrackFor('audio');
    if (current && audioIdOf(current) === id) return;
    player.setCurrentTrack(track, true);
    publish({ audioId: id });
  };

  const selectCaptions = (id: string | null) => {
    const index = id === null ? -1 : Number(id);
    if (index >= textTracks.length || Number.isNaN(index)) return;
    player.setTextTrack(index);
    publish({ captionsId: index === -1 ? null : id });
  };

  if (preferences.audioLanguage) player.setInitialMediaSettingsFor('audio', { lang: preferences.audioLanguage });

  player.on(events.STREAM_INITIALIZED, () => {
    const options = audioTracks().map((track) => trackOptionOf(track, audioIdOf(track)));
    const wanted = initialAudioTrack(options, preferences.audioLanguage);
    // dash.js matched the language itself in most cases; a regional tag, or no match, lands here.
    if (wanted) selectAudio(wanted.id);
    showAudio();
  });
  player.on(events.TEXT_TRACKS_ADDED, (event: { tracks: DashTrack[] }) => {
    textTracks = event.tracks;
    const options = textTracks.map((track, index) => trackOptionOf(track, String(index)));
    publish({ captions: options });
    const wanted = initialCaptionTrack(options, preferences.captionLanguage);
    selectCaptions(wanted?.id ?? null);
  });
  player.on(events.TRACK_CHANGE_RENDERED, (event: { mediaType: string }) => {
    if (event.mediaType === 'audio') showAudio();
  });

  return { selectAudio, selectCaptions };
};
