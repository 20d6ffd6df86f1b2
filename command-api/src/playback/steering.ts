import { type EdgeCandidate, rankEdges, type SteeringTarget } from '@marquee/domain';
import { type EdgeInventoryEntry, edgeInventory, liveAlias } from '@marquee/projections';
import type { CommandContext } from '../context';

/**
 * Where a viewer should fetch a title: the edges that hold the encoding (edge inventory view),
 * those with a live heartbeat (edge health), ranked by the domain's steering policy, origin last.
 */
export const steer = async (
  context: CommandContext,
  content: { titleId: string; encodingId: string },
  viewerRegion: string | null,
): Promise<SteeringTarget[]> => {
  const collection = await context.viewStore.resolveAlias(liveAlias(edgeInventory));
  const holders = collection
    ? (
        await context.viewStore.find<EdgeInventoryEntry>(collection, {
          where: { heldEncodings: `${content.titleId}/${content.encodingId}` },
          limit: 200,
        })
      ).items.map((doc) => doc.body)
    : [];
  const alive = await context.edgeHealth.healthy(holders.map((edge) => edge.edgeId));
  const candidates: EdgeCandidate[] = holders.map((edge) => ({
    edgeId: edge.edgeId,
    url: edge.url,
    region: edge.region,
    holds: true,
    healthy: alive.has(edge.edgeId),
    load: alive.get(edge.edgeId)?.load ?? 1,
  }));
  return rankEdges({ viewerRegion, candidates, originUrl: context.originUrl });
};
