import { type EdgeCandidate, rankEdges, type SteeringTarget } from '@marquee/domain';
import { edgeInventory, readView, unlessNotBuilt } from '@marquee/read-models';
import type { CommandContext } from '../context';

/**
 * Where a viewer should fetch a title: the edges that hold the encoding (edge inventory view),
 * those with a live heartbeat (edge health), ranked by the domain's steering policy, origin last.
 * Before the edge inventory view is first built no edge is known to hold anything, so the
 * viewer is steered to the origin rather than refused: it can serve every title.
 */
export const steer = async (
  context: CommandContext,
  content: { titleId: string; encodingId: string },
  viewerRegion: string | null,
): Promise<SteeringTarget[]> => {
  const { items: holders } = await readView(context.viewStore, edgeInventory)
    .find({ where: { heldEncodings: `${content.titleId}/${content.encodingId}` }, limit: 200 })
    .catch(unlessNotBuilt({ items: [], nextCursor: null }));
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
