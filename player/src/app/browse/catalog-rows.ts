import type { CatalogTitle } from '../api/types';

export type GenreRow<T extends CatalogTitle = CatalogTitle> = { genre: string; titles: T[] };

/**
 * The browse page's rows: one per genre, the genres with the most titles first, each row in
 * the order the titles came (most popular first). A title with several genres is in each row.
 */
export const genreRows = <T extends CatalogTitle>(
  titles: readonly T[],
  options: { maxRows?: number } = {},
): GenreRow<T>[] => {
  const byGenre = new Map<string, T[]>();
  for (const title of titles)
    for (const genre of new Set(title.genres.map((g) => g.trim().toLowerCase()).filter(Boolean))) {
      const row = byGenre.get(genre) ?? [];
      row.push(title);
      byGenre.set(genre, row);
    }
  return [...byGenre]
    .map(([genre, row]) => ({ genre, titles: row }))
    .sort((a, b) => b.titles.length - a.titles.length || a.genre.localeCompare(b.genre))
    .slice(0, options.maxRows ?? 12);
};

/** "science fiction" → "Science fiction". */
export const genreLabel = (genre: string): string => genre.charAt(0).toUpperCase() + genre.slice(1);

/** Posters come through the player's own server, which fetches them from the origin. */
export const posterUrl = (posterPath: string | null): string | null => (posterPath ? `/posters/${posterPath}` : null);
