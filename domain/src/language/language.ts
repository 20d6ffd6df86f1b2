/**
 * Languages of audio tracks, captions and profile preferences, as BCP 47 tags in their
 * canonical form: a source's ISO 639-2 tag ("eng", "fre") and an upload's ("en", "pt-br")
 * become "en", "fr", "pt-BR", so a profile's "fr" matches a French track however it was tagged.
 */
import { z } from 'zod';

/** The canonical tag, or undefined for text that is no language tag (or says "undetermined"). */
export const canonicalLanguage = (tag: string): string | undefined => {
  const trimmed = tag.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(trimmed)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed);
    return canonical === undefined || canonical === 'und' ? undefined : canonical;
  } catch {
    return undefined;
  }
};

/** A language tag in events and commands: already canonical. */
export const languageTag = z
  .string()
  .refine((tag) => canonicalLanguage(tag) === tag, 'must be a language tag such as "en", "fr" or "pt-BR"');

/** A tag as a person gives it ("FR", "fre", "pt-br"), read into its canonical form. */
export const languageInput = z.string().transform((tag, context) => {
  const canonical = canonicalLanguage(tag);
  if (canonical === undefined) {
    context.addIssue({ code: 'custom', message: `"${tag}" is not a language tag such as "en", "fr" or "pt-BR"` });
    return z.NEVER;
  }
  return canonical;
});

const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "French", "Brazilian Portuguese": what a menu shows for a tag. */
export const languageName = (tag: string): string => names.of(tag) ?? tag;
