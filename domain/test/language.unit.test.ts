import { describe, expect, it } from 'vitest';
import { canonicalLanguage, languageInput, languageName, languageTag } from '../src';

describe('languages', () => {
  it('reads a source stream tag and an upload tag into one canonical tag', () => {
    expect(['eng', 'fre', 'fra', 'FR', 'pt-br', 'ger'].map(canonicalLanguage)).toEqual([
      'en',
      'fr',
      'fr',
      'fr',
      'pt-BR',
      'de',
    ]);
  });
  it('reads "undetermined" and text that is no tag as no language', () => {
    expect(['und', '', 'english please', '12'].map(canonicalLanguage)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('accepts only canonical tags in events, and canonicalises what people type', () => {
    expect(languageTag.safeParse('fr').success).toBe(true);
    expect(languageTag.safeParse('fre').success).toBe(false);
    expect(languageInput.parse('FRE')).toBe('fr');
    expect(languageInput.safeParse('klingon!').error?.issues[0]?.message).toMatch(/not a language tag/);
  });
  it('names a tag for a menu', () => {
    expect(languageName('fr')).toBe('French');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
  });
});
