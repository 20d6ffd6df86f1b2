import {
  type DeliveryWindow,
  daysOf,
  type OriginEgress,
  originEgress,
  type SessionDelivery,
  sessionDelivery,
  summarizeDelivery,
  titleDetail,
} from '@marquee/read-models';
import type { Views } from '../view-reader';

/** Every page of a query, as one list. */
export const everyPage = async <Doc>(
  page: (cursor: string | undefined) => Promise<{ items: Doc[]; nextCursor: string | null }>,
): Promise<Doc[]> => {
  const all: Doc[] = [];
  let cursor: string | undefined;
  do {
    const found = await page(cursor);
    all.push(...found.items);
    cursor = found.nextCursor ?? undefined;
  } while (cursor);
  return all;
};

/**
 * Offload and misses over a window: the sessions active on each of its days (each once) and the
 * origin's egress of those days, summed by `summarizeDelivery`.
 */
export const readDelivery = async (
  views: Views,
  window: DeliveryWindow,
  filter: { region?: string | undefined; titleId?: string | undefined },
) => {
  const sessions = new Map<string, SessionDelivery>();
  const egress: OriginEgress[] = [];
  for (const day of daysOf(window)) {
    const where = { days: day, ...(filter.titleId !== undefined && { titleId: filter.titleId }) };
    for (const session of await everyPage((cursor) =>
      views(sessionDelivery).find({ where, limit: 1000, ...(cursor && { cursor }) }),
    ))
      sessions.set(session.sessionId, session);
    egress.push(
      ...(await everyPage((cursor) =>
        views(originEgress).find({ where: { day }, limit: 1000, ...(cursor && { cursor }) }),
      )),
    );
  }
  return summarizeDelivery({ sessions: sessions.values(), egress, window, ...filter });
};

/** Titles' names, null for an id no title has (any longer). */
export const titleNames = async (views: Views, titleIds: readonly string[]) => {
  const titles = await views(titleDetail).getMany(titleIds);
  return (titleId: string) => titles.get(titleId)?.name ?? null;
};
