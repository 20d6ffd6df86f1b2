/*
 * Which audio and caption tracks a session starts with, and what a viewer's pick says about
 * their profile. Engines (dash.js, the browser's HLS) describe their tracks as TrackOptions;
 * everything here is pure. Languages are BCP 47 tags, compared without regard to case, and a
 * wanted "pt-BR" takes a track tagged just "pt" when no "pt-BR" track exists (and the reverse).
 */

export type TrackOption = {
  /** The engine's own handle on the track (dash.js: its index), as text. */
  id: string;
  /** Its language tag; null when the package does not say. */
  language: string | null;
  /** What the menu shows: the package's label, or the language's name. */
  label: string;
  /** The package's main track (DASH Role main, HLS DEFAULT=YES). */
  main: boolean;
};

/** A profile's preferred languages: null audio is the title's original, null captions is off. */
export type LanguagePreferences = { audioLanguage: string | null; captionLanguage: string | null };

export const noPreferences: LanguagePreferences = { audioLanguage: null, captionLanguage: null };

const primarySubtag = (tag: string) => tag.split('-')[0]?.toLowerCase() ?? '';

/** The track in exactly that language, else one whose language shares its primary subtag. */
export const trackInLanguage = (tracks: readonly TrackOption[], wanted: string): TrackOption | null => {
  const lower = wanted.toLowerCase();
  return (
    tracks.find((track) => track.language?.toLowerCase() === lower) ??
    tracks.find((track) => track.language !== null && primarySubtag(track.language) === primarySubtag(wanted)) ??
    null
  );
};

/** The profile's audio language if the stream has it, else the stream's main track (else its first). */
export const initialAudioTrack = (tracks: readonly TrackOption[], preferred: string | null): TrackOption | null =>
  (preferred !== null ? trackInLanguage(tracks, preferred) : null) ??
  tracks.find((track) => track.main) ??
  tracks[0] ??
  null;

/** The profile's caption language if the stream has it; otherwise captions stay off (null). */
export const initialCaptionTrack = (tracks: readonly TrackOption[], preferred: string | null): TrackOption | null =>
  preferred !== null ? trackInLanguage(tracks, preferred) : null;

/**
 * What a pick makes of the profile's preferences. Audio without a language keeps the original
 * (null); captions off is null. The other kind keeps what the profile had, even when this stream
 * lacked it.
 */
export const preferencesAfterPick = (
  preferences: LanguagePreferences,
  pick: { kind: 'audio'; track: TrackOption } | { kind: 'captions'; track: TrackOption | null },
): LanguagePreferences =>
  pick.kind === 'audio'
    ? { ...preferences, audioLanguage: pick.track.language }
    : { ...preferences, captionLanguage: pick.track?.language ?? null };

/** The tag a menu option is known by (testids): its language, or `track-<id>` when it has none. */
export const trackKey = (track: TrackOption): string => track.language ?? `track-${track.id}`;

/** "en" → "English", in the viewer's language; the tag itself where the browser does not know it. */
export const languageLabel = (tag: string, locale = 'en'): string => {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/** "Audio: English, French · Subtitles: English"; "" when the title lists neither. */
export const languagesLine = (
  audio: readonly { name: string }[] | undefined,
  captions: readonly { name: string }[] | undefined,
): string =>
  [
    audio?.length ? `Audio: ${audio.map((track) => track.name).join(', ')}` : '',
    captions?.length ? `Subtitles: ${captions.map((track) => track.name).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** The languages a profile may prefer (the settings page's choices), as canonical tags. */
export const commonLanguages = [
  'en',
  'fr',
  'de',
  'es',
  'it',
  'pt',
  'pt-BR',
  'nl',
  'sv',
  'da',
  'no',
  'fi',
  'pl',
  'cs',
  'ru',
  'uk',
  'tr',
  'ar',
  'he',
  'hi',
  'ja',
  'ko',
  'zh',
] as const;

/** The choices for a preference: the common languages, plus the profile's own if it is another. */
export const languageChoices = (current: string | null): { tag: string; label: string }[] =>
  [...commonLanguages, ...(current && !commonLanguages.some((tag) => tag === current) ? [current] : [])].map((tag) => ({
    tag,
    label: languageLabel(tag),
  }));
