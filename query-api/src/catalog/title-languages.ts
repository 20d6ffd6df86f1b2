import { languageName } from '@marquee/domain';
import type { CatalogEntry } from '@marquee/read-models';
import { z } from 'zod';

/** A language as a menu shows it. */
export const languageChoice = z.object({
  language: z.string().describe('BCP 47 tag, canonical ("en", "pt-BR"), as the manifests\' `lang` and HLS `LANGUAGE`.'),
  name: z.string().describe('What a menu shows, in English: "French", "Brazilian Portuguese".'),
});
export type LanguageChoice = z.infer<typeof languageChoice>;

/** What a viewer can pick while playing the published encoding. */
export const titleLanguages = {
  audio: z
    .array(languageChoice)
    .describe(
      'Audio languages of the published encoding, in track order (the first is the main track), each once; a track of unknown language is not listed; [] for a series or an encoding made before tracks existed.',
    ),
  captions: z.array(languageChoice).describe('Caption languages of the published encoding; [] when it has none.'),
  seekPreviews: z.boolean().describe('The published encoding has thumbnails for previews on the seek bar.'),
};

const choices = (tags: readonly string[]): LanguageChoice[] =>
  [...new Set(tags)].map((language) => ({ language, name: languageName(language) }));

export const titleLanguagesOf = (entry: CatalogEntry) => ({
  audio: choices(entry.audioLanguages),
  captions: choices(entry.captionLanguages),
  seekPreviews: entry.seekPreviews,
});
