import { withSharesKept, withSharesMoved } from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';

const storedEncoding = z.object({ titleId: z.string(), encodingId: z.string(), bytes: z.number(), since: z.string() });
export type StoredEncoding = z.infer<typeof storedEncoding>;

/** What each edge holds and can hold: steering and operators read it. */
export const edgeInventoryEntry = z.object({
  edgeId: z.string(),
  url: z.string(),
  region: z.string(),
  capacityBytes: z.number(),
  upstream: z.string(),
  usedBytes: z.number(),
  held: z.array(storedEncoding.extend({ fillSeconds: z.number() })),
  filling: z.array(storedEncoding),
  heldEncodings: z
    .array(z.string())
    .describe('`titleId/encodingId` of each held encoding, to find the edges that hold one.'),
  heldTitles: z.array(z.string()),
  lastFailure: z.object({ titleId: z.string(), encodingId: z.string(), reason: z.string(), at: z.string() }).nullable(),
  registeredAt: z.string(),
});
export type EdgeInventoryEntry = z.infer<typeof edgeInventoryEntry>;

const withHoldings = (entry: EdgeInventoryEntry): EdgeInventoryEntry => ({
  ...entry,
  usedBytes: entry.held.reduce((total, e) => total + e.bytes, 0),
  heldEncodings: entry.held.map((e) => `${e.titleId}/${e.encodingId}`),
  heldTitles: [...new Set(entry.held.map((e) => e.titleId))],
});
const other =
  ({ titleId, encodingId }: { titleId: string; encodingId: string }) =>
  (e: StoredEncoding) =>
    e.titleId !== titleId || e.encodingId !== encodingId;

export const edgeInventory = defineProjection<
  EdgeInventoryEntry,
  'EdgeRegistered' | 'EdgeFillStarted' | 'EdgeFillCompleted' | 'EdgeFillFailed' | 'EdgeEvicted'
>({
  name: 'edge-inventory',
  version: 1,
  eventTypes: ['EdgeRegistered', 'EdgeFillStarted', 'EdgeFillCompleted', 'EdgeFillFailed', 'EdgeEvicted'],
  collection: { indexes: { region: 'value', heldEncodings: 'array', heldTitles: 'array' }, sortFields: ['usedBytes'] },
  key: (event) => event.data.edgeId,
  evolve: (entry, event) => {
    const { at } = event.data;
    if (event.type === 'EdgeRegistered') {
      const { edgeId, url, region, capacityBytes, upstream } = event.data;
      const base = entry ?? {
        edgeId,
        held: [],
        filling: [],
        heldEncodings: [],
        heldTitles: [],
        usedBytes: 0,
        lastFailure: null,
        registeredAt: at,
      };
      return withHoldings({ ...base, url, region, capacityBytes, upstream });
    }
    if (!entry) return null;
    const { titleId, encodingId } = event.data;
    const isOther = other(event.data);
    switch (event.type) {
      case 'EdgeFillStarted':
        return {
          ...entry,
          filling: [...entry.filling.filter(isOther), { titleId, encodingId, bytes: event.data.bytes, since: at }],
        };
      case 'EdgeFillCompleted': {
        const { bytes, seconds, shared } = event.data;
        // The files it shares by hard link with a held revision are counted for it alone, as the edge counts them.
        const held = withSharesMoved(entry.held.filter(isOther), titleId, shared);
        return withHoldings({
          ...entry,
          filling: entry.filling.filter(isOther),
          held: [...held, { titleId, encodingId, bytes, since: at, fillSeconds: seconds }],
        });
      }
      case 'EdgeFillFailed':
        return {
          ...entry,
          filling: entry.filling.filter(isOther),
          lastFailure: { titleId, encodingId, reason: event.data.reason, at },
        };
      case 'EdgeEvicted':
        // The files a held revision still links stay on the disk, counted for it again.
        return withHoldings({
          ...entry,
          filling: entry.filling.filter(isOther),
          held: withSharesKept(entry.held.filter(isOther), titleId, event.data.kept),
        });
    }
  },
});
