import { catalog } from '@marquee/read-models';
import { z } from 'zod';
import type { Views } from '../view-reader';

const titleArt = { name: z.string().nullable(), posterPath: z.string().nullable() };

/** An item's response schema with the art `withTitleArt` adds. */
export const withTitleArtSchema = <Item extends z.ZodObject>(item: Item) => item.extend(titleArt);

/** Adds each title's name and poster from the catalog (one read for the page), so a client can draw the row. */
export const withTitleArt = async <Item extends { titleId: string }>(views: Views, items: readonly Item[]) => {
  const titles = await views(catalog).getMany(items.map((item) => item.titleId));
  return items.map((item) => {
    const title = titles.get(item.titleId);
    return { ...item, name: title?.name ?? null, posterPath: title?.posterPath ?? null };
  });
};
