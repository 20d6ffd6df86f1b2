import type { MarqueeEvent, MarqueeEventType } from '@marquee/domain';
import type { CollectionSpec } from '@marquee/platform';

/** Where an event sits in the log, beside its payload. */
export type EventMeta = { position: number; streamName: string; recordedAt: Date };

export type ProjectedEvent<Type extends MarqueeEventType = MarqueeEventType> = Extract<MarqueeEvent, { type: Type }> &
  EventMeta;

/**
 * A view, declared: which events it reads, which document(s) each one touches, and a pure fold.
 * `evolve` returning null deletes the document; it is told the document's id, which an event
 * naming several documents (a serving report's sessions) needs to fold each one's own part.
 * Bumping `version` rebuilds the view.
 */
export type Projection<Doc = unknown, Type extends MarqueeEventType = MarqueeEventType> = {
  name: string;
  version: number;
  eventTypes: readonly Type[];
  collection: CollectionSpec;
  key: (event: ProjectedEvent<Type>) => string | readonly string[] | null;
  evolve: (doc: Doc | undefined, event: ProjectedEvent<Type>, id: string) => Doc | null;
};

/** Any projection, as the runner holds a list of them over different documents and events. */
export type AnyProjection = Omit<Projection, 'key' | 'evolve'> & {
  key: (event: ProjectedEvent) => string | readonly string[] | null;
  evolve: (doc: unknown, event: ProjectedEvent, id: string) => unknown;
};

/** A projection as its readers know it: a view whose documents are `Doc`. */
export type View<Doc> = AnyProjection & { evolve: (doc: never, event: never, id: never) => Doc | null };

/**
 * Declares a projection with its events narrowed; the runner calls `key` and `evolve` only
 * with the declared event types, which is what makes the widening to AnyProjection sound.
 * (The typed `Projection` comes last so that a reader infers its document type from it.)
 */
export const defineProjection = <Doc, Type extends MarqueeEventType>(
  projection: Projection<Doc, Type>,
): AnyProjection & Projection<Doc, Type> => projection as AnyProjection & Projection<Doc, Type>;

/** The calendar day (UTC) of an ISO time, as analysts count plays per day. */
export const dayOf = (iso: string) => iso.slice(0, 10);

/** Keeps the last `days` days of a per-day counter, counted back from `today`. */
export const lastDays = (counts: Record<string, number>, today: string, days: number): Record<string, number> => {
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(counts).filter(([day]) => day >= first && day <= today));
};

export const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};
