import { describe, expect, it } from 'vitest';
import {
  initialAudioTrack,
  initialCaptionTrack,
  languagesLine,
  preferencesAfterPick,
  type TrackOption,
  trackKey,
} from '../src/app/watch/track-choice';

const track = (id: string, language: string | null, main = false): TrackOption => ({
  id,
  language,
  label: language ?? 'Unknown',
  main,
});

const audio = [track('0', 'en', true), track('1', 'fr'), track('2', 'pt-BR')];
const captions = [track('0', 'en'), track('1', 'de')];

describe('the tracks a session starts with', () => {
  it("starts in the profile's audio language when the stream has it", () => {
    expect(initialAudioTrack(audio, 'fr')?.id).toBe('1');
  });

  it('matches a language whatever its case, and a regional tag by its language', () => {
    expect(initialAudioTrack(audio, 'FR')?.id).toBe('1');
    expect(initialAudioTrack(audio, 'pt')?.id).toBe('2');
    expect(initialAudioTrack([track('0', 'en', true), track('1', 'fr')], 'fr-CA')?.id).toBe('1');
  });

  it("falls back to the stream's main audio when the profile's language is missing or unset", () => {
    const mainSecond = [track('0', 'fr'), track('1', 'en', true)];
    expect(initialAudioTrack(mainSecond, 'ja')?.id).toBe('1');
    expect(initialAudioTrack(mainSecond, null)?.id).toBe('1');
    expect(initialAudioTrack([track('0', 'fr'), track('1', 'en')], null)?.id).toBe('0');
    expect(initialAudioTrack([], 'fr')).toBeNull();
  });

  it('shows captions only in the profile’s caption language, and none when it is off or missing', () => {
    expect(initialCaptionTrack(captions, 'de')?.id).toBe('1');
    expect(initialCaptionTrack(captions, null)).toBeNull();
    expect(initialCaptionTrack(captions, 'fr')).toBeNull();
  });
});

describe("what a viewer's pick remembers for the profile", () => {
  const before = { audioLanguage: null, captionLanguage: 'de' };

  it('an audio pick sets the audio language and keeps the caption language, even one this stream lacks', () => {
    expect(preferencesAfterPick(before, { kind: 'audio', track: track('1', 'fr') })).toEqual({
      audioLanguage: 'fr',
      captionLanguage: 'de',
    });
  });

  it('captions off is a null caption language; a caption pick is its language', () => {
    expect(preferencesAfterPick(before, { kind: 'captions', track: null })).toEqual({
      audioLanguage: null,
      captionLanguage: null,
    });
    expect(preferencesAfterPick(before, { kind: 'captions', track: track('0', 'en') }).captionLanguage).toBe('en');
  });
});

describe('menu keys and the title page line', () => {
  it('names an option by its language, or by its id when it has none', () => {
    expect(trackKey(track('3', 'fr'))).toBe('fr');
    expect(trackKey(track('3', null))).toBe('track-3');
  });

  it('reads "Audio: English, French · Subtitles: English", leaving out what the title lacks', () => {
    expect(languagesLine([{ name: 'English' }, { name: 'French' }], [{ name: 'English' }])).toBe(
      'Audio: English, French · Subtitles: English',
    );
    expect(languagesLine([{ name: 'English' }], [])).toBe('Audio: English');
    expect(languagesLine(undefined, undefined)).toBe('');
  });
});
