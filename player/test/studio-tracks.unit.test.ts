import { describe, expect, it } from 'vitest';
import { captionsRefusal, revisionNote } from '../src/app/studio/studio-text';
import { languageChoices } from '../src/app/watch/track-choice';

describe("the content team's tracks", () => {
  it('leads a refused captions file with the line that failed', () => {
    expect(captionsRefusal({ message: 'The cue timing is not "start --> end".', details: { line: 12 } })).toBe(
      'Line 12: The cue timing is not "start --> end".',
    );
    expect(captionsRefusal({ message: 'The file is empty.', details: null })).toBe('The file is empty.');
  });

  it('says an encoding made by adding tracks is a revision that reuses the video', () => {
    expect(revisionNote({ revisionOf: 'enc-1' })).toBe('Revision of enc-1: the video is reused, not encoded again');
    expect(revisionNote({ revisionOf: null })).toBeNull();
    expect(revisionNote({})).toBeNull();
  });
});

describe('language choices', () => {
  it('names the common languages and keeps a profile’s less common one among them', () => {
    const choices = languageChoices('eu');
    expect(choices.find((choice) => choice.tag === 'fr')?.label).toBe('French');
    expect(choices.find((choice) => choice.tag === 'pt-BR')?.label).toBe('Brazilian Portuguese');
    expect(choices.at(-1)).toEqual({ tag: 'eu', label: 'Basque' });
    expect(languageChoices('fr').filter((choice) => choice.tag === 'fr')).toHaveLength(1);
  });
});
