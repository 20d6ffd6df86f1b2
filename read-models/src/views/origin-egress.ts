import { z } from 'zod';
import { dayOf, defineProjection } from '../projection';
import { hourOf } from './session-delivery';

/*
 * Everything the origin sent, per hour and title: to viewers, and to edges filling or pulling
 * through. Sessions do not see fills, so origin egress is summed from the origin's rows; bytes
 * past the event's row cap have no title and count under `titleId: null`.
 */

export const originEgressEntry = z.object({
  hour: z.string(),
  day: z.string(),
  titleId: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
  toEdgesBytes: z.number().int().nonnegative(),
});
export type OriginEgress = z.infer<typeof originEgressEntry>;

const unattributed = '*';
const keyOf = (hour: string, titleId: string | null) => `${hour}/${titleId ?? unattributed}`;

export const originEgress = defineProjection<OriginEgress, 'ServingReported'>({
  name: 'origin-egress',
  version: 1,
  eventTypes: ['ServingReported'],
  collection: { indexes: { day: 'value' } },
  key: (event) => {
    if (event.data.role !== 'origin') return null;
    const hour = hourOf(event.data.intervalStart);
    const titles = new Set<string | null>(event.data.rows.map((row) => row.titleId));
    if (event.data.overflow.bytes > 0) titles.add(null);
    return [...titles].map((titleId) => keyOf(hour, titleId));
  },
  evolve: (doc, event, id) => {
    const hour = hourOf(event.data.intervalStart);
    const titleId = id === keyOf(hour, null) ? null : id.slice(hour.length + 1);
    const current = doc ?? { hour, day: dayOf(hour), titleId, bytes: 0, toEdgesBytes: 0 };
    if (titleId === null) return { ...current, bytes: current.bytes + event.data.overflow.bytes };
    const rows = event.data.rows.filter((row) => row.titleId === titleId);
    const sumOf = (selected: typeof rows) => selected.reduce((sum, row) => sum + row.bytes, 0);
    return {
      ...current,
      bytes: current.bytes + sumOf(rows),
      toEdgesBytes: current.toEdgesBytes + sumOf(rows.filter((row) => row.client === 'edge')),
    };
  },
});
