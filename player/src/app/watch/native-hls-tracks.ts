/*
 * Audio and caption tracks on the browser's own HLS player (Safari), through the video element's
 * `audioTracks` (Safari has it; Chrome and Firefox do not, and play with dash.js anyway) and
 * `textTracks` (the master's SUBTITLES renditions, which Safari lists and draws itself). Audio
 * switches in place by enabling one track. Seek previews, which no browser gives a page, are read
 * from the master's image playlist by hls-thumbnails.
 */
import type { PlayerTracks } from './dash-tracks';
import {
  initialAudioTrack,
  initialCaptionTrack,
  type LanguagePreferences,
  languageLabel,
  type TrackOption,
} from './track-choice';

/** One audio track of `video.audioTracks`, as far as it is read here. */
export type NativeAudioTrack = { id: string; language: string; label: string; kind: string; enabled: boolean };
/** One text track of `video.textTracks`. */
export type NativeTextTrack = { id: string; language: string; label: string; kind: string; mode: TextTrackMode };

type TrackList<T> = ArrayLike<T> & {
  addEventListener: (name: string, listener: () => void) => void;
  removeEventListener: (name: string, listener: () => void) => void;
};

export type TrackVideo = {
  audioTracks?: TrackList<NativeAudioTrack>;
  textTracks: TrackList<NativeTextTrack>;
};

const captionKinds = new Set(['subtitles', 'captions']);

const optionOf = (track: { language: string; label: string }, id: string, main: boolean): TrackOption => ({
  id,
  language: track.language || null,
  label: track.label || (track.language ? languageLabel(track.language) : 'Unknown language'),
  main,
});

const captionTracksOf = (video: TrackVideo) => Array.from(video.textTracks).filter((t) => captionKinds.has(t.kind));

/** The tracks as the menus show them; a track's id is its place in its list. */
export const nativeTracksOf = (video: TrackVideo): PlayerTracks => {
  const audio = Array.from(video.audioTracks ?? []);
  const captions = captionTracksOf(video);
  const playing = audio.findIndex((track) => track.enabled);
  const shown = captions.findIndex((track) => track.mode === 'showing');
  return {
    audio: audio.map((track, index) => optionOf(track, String(index), track.kind === 'main')),
    captions: captions.map((track, index) => optionOf(track, String(index), false)),
    audioId: playing === -1 ? null : String(playing),
    captionsId: shown === -1 ? null : String(shown),
  };
};

export const selectNativeAudio = (video: TrackVideo, id: string): void => {
  const audio = Array.from(video.audioTracks ?? []);
  const chosen = audio[Number(id)];
  if (!chosen) return;
  // Enabling one first, so there is never a moment with no audio track.
  chosen.enabled = true;
  for (const track of audio) if (track !== chosen) track.enabled = false;
};

/** null: captions off. */
export const selectNativeCaptions = (video: TrackVideo, id: string | null): void => {
  const captions = captionTracksOf(video);
  captions.forEach((track, index) => {
    track.mode = String(index) === id ? 'showing' : 'disabled';
  });
};

export type NativeTracks = {
  /** The viewer's pick: from then on, tracks that appear change nothing. */
  selectAudio: (id: string) => void;
  /** null: captions off. */
  selectCaptions: (id: string | null) => void;
  stop: () => void;
};

/**
 * Applies the profile's languages as tracks appear (Safari adds them one by one once it has read
 * the master): until the profile's language has turned up, or the viewer picked, each new track
 * is a new chance to find it. Every change is reported.
 */
export const followNativeTracks = (
  video: TrackVideo,
  preferences: LanguagePreferences,
  changed: (tracks: PlayerTracks) => void,
): NativeTracks => {
  const settled = { audio: false, captions: false };
  const onChange = () => {
    const tracks = nativeTracksOf(video);
    if (!settled.audio && tracks.audio.length > 0) {
      const wanted = initialAudioTrack(tracks.audio, preferences.audioLanguage);
      settled.audio = preferences.audioLanguage === null || wanted?.language === preferences.audioLanguage;
      if (wanted && wanted.id !== tracks.audioId) selectNativeAudio(video, wanted.id);
    }
    if (!settled.captions && tracks.captions.length > 0) {
      const wanted = initialCaptionTrack(tracks.captions, preferences.captionLanguage);
      // Off until the profile's language is there (Safari may have turned one on by itself).
      settled.captions = preferences.captionLanguage === null || wanted !== null;
      selectNativeCaptions(video, wanted?.id ?? null);
    }
    changed(nativeTracksOf(video));
  };
  const lists = [video.audioTracks, video.textTracks].filter((list) => list !== undefined);
  for (const list of lists) {
    list.addEventListener('addtrack', onChange);
    list.addEventListener('change', onChange);
  }
  onChange();
  return {
    selectAudio: (id) => {
      settled.audio = true;
      selectNativeAudio(video, id);
      changed(nativeTracksOf(video));
    },
    selectCaptions: (id) => {
      settled.captions = true;
      selectNativeCaptions(video, id);
      changed(nativeTracksOf(video));
    },
    stop: () => {
      for (const list of lists) {
        list.removeEventListener('addtrack', onChange);
        list.removeEventListener('change', onChange);
      }
    },
  };
};
