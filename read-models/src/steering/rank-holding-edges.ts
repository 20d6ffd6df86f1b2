import { type EdgeCandidate, rankEdges, type SteeringTarget } from '@marquee/domain';
import type { EdgeHealth, ViewStore } from '@marquee/platform';
import { readView, unlessNotBuilt } from '../read-view';
import { edgeInventory } from '../views/edge-inventory';

/**
 * Where a viewer should fetch an encoding: the edges that hold it (edge inventory view), those
 * with a live heartbeat (edge health), ranked by the domain's steering policy, origin last; and
 * the holders it chose among, with their health, which a play's start records for analysts.
 * Playback start ranks every holder; content steering ranks only the pathways a session's token
 * names (`among`), keeping a player on the edge it plays from (`currentEdgeId`) unless that edge
 * is much busier than another as near. Before the edge inventory view is first built no edge is
 * known to hold anything, so the viewer is steered to the origin rather than refused: it serves
 * every title.
 * While Redis does not answer, edge health answers the edges seen healthy moments ago.
 */
export const steerAmongHolders = async (
  sources: { viewStore: ViewStore; edgeHealth: EdgeHealth },
  content: { titleId: string; encodingId: string },
  options: {
    viewerRegion: string | null;
    originUrl: string;
    among?: readonly string[];
    currentEdgeId?: string | null;
  },
): Promise<{ targets: SteeringTarget[]; candidates: EdgeCandidate[] }> => {
  const { items } = await readView(sources.viewStore, edgeInventory)
    .find({ where: { heldEncodings: `${content.titleId}/${content.encodingId}` }, limit: 200 })
    .catch(unlessNotBuilt({ items: [], nextCursor: null }));
  const among = options.among && new Set(options.among);
  const holders = among ? items.filter((edge) => among.has(edge.edgeId)) : items;
  const alive = await sources.edgeHealth.healthy(holders.map((edge) => edge.edgeId));
  const candidates: EdgeCandidate[] = holders.map((edge) => ({
    edgeId: edge.edgeId,
    url: edge.url,
    region: edge.region,
    holds: true,
    healthy: alive.has(edge.edgeId),
    load: alive.get(edge.edgeId)?.load ?? 1,
  }));
  const targets = rankEdges({
    viewerRegion: options.viewerRegion,
    candidates,
    originUrl: options.originUrl,
    currentEdgeId: options.currentEdgeId,
  });
  return { targets, candidates };
};

/** The ranking alone, as content steering answers it. */
export const rankHoldingEdges = async (...args: Parameters<typeof steerAmongHolders>): Promise<SteeringTarget[]> =>
  (await steerAmongHolders(...args)).targets;
