import { contentTokenRefusals, Forbidden, originPathwayId, verifyContentToken } from '@marquee/platform';
import { rankHoldingEdges } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { idParam } from '../query-parameters';

/*
 * DASH-IF content steering (and HLS `EXT-X-CONTENT-STEERING`): the manifests edges serve point
 * players here, and players ask again every TTL seconds which pathway (edge, or the origin) to
 * fetch from. A session's pathways are the edges its token names; each answer ranks those that
 * hold the encoding and are alive now, nearest the viewer first, then the least loaded, with the
 * origin last. So when an edge dies, its players move at the next refresh, before a segment fails.
 * The edge a player plays from stays first while it is not much busier than the others (the
 * domain's steering policy), so players do not hop between equal edges at every refresh.
 */

const clientParameter = z.string().max(4096).optional();

/**
 * The edge a player fetches from now, as it tells: hls.js sends its pathway id
 * (`_HLS_pathway=eu-1`); dash.js sends, quoted, the pathways it fetched from since it last asked,
 * in the order it first used them (`_DASH_pathway="eu-1,us-1"`), so the last is the one it is on.
 * The origin, and ids that are not the session's, are no edge to stay on.
 */
const currentEdgeOf = (
  query: { _DASH_pathway?: string; _HLS_pathway?: string },
  pathways: readonly string[],
): string | null => {
  const told = query._DASH_pathway ?? query._HLS_pathway;
  const last = told?.replace(/^"|"$/g, '').split(',').at(-1)?.trim();
  return last && last !== originPathwayId && pathways.includes(last) ? last : null;
};

export const steerSession = defineQueryOperation({
  method: 'get',
  path: '/steering/:token/:titleId/:encodingId',
  summary: 'Content steering: the pathways (edges, then the origin) a session should fetch from, best first',
  description:
    'Public: the content token in the path is the credential (its signature is checked, not its expiry, since ' +
    'ranking serves no content). Answers a DASH-IF / HLS steering manifest; dash.js and hls.js call it from the ' +
    'manifest and add their own `_DASH_*` / `_HLS_*` parameters. CORS is open to any origin.',
  access: 'public',
  params: z.strictObject({
    token: z.string().min(1).max(4096).describe('The content token of the session, as in its content URLs.'),
    titleId: idParam('title'),
    encodingId: idParam('encoding'),
  }),
  query: z.strictObject({
    _DASH_pathway: clientParameter.describe(
      'dash.js: the pathways it fetched from since it last asked, quoted and comma-separated in the order it first ' +
        'used them (`"eu-1,us-1"`); the last is the one it plays from, kept first unless much busier than the others.',
    ),
    _DASH_throughput: clientParameter.describe('dash.js: its throughput per pathway (unused).'),
    _HLS_pathway: clientParameter.describe(
      'hls.js: the pathway it plays from (`eu-1`), kept first unless much busier than the others.',
    ),
    _HLS_throughput: clientParameter.describe('hls.js: its throughput (unused).'),
    CMCD: clientParameter.describe('CMCD data dash.js may add to any request (unused).'),
  }),
  response: z.object({
    VERSION: z.literal(1),
    TTL: z.number().describe('Seconds until the player asks again.'),
    'RELOAD-URI': z.string().describe('Where to ask next time: this same URL, relative to itself.'),
    'PATHWAY-PRIORITY': z.array(z.string()).describe('Pathway ids, best first: edge ids, then `origin`.'),
  }),
  errors: { 403: 'The content token is malformed, or not signed for this title and encoding.' },
  handle: async ({ params, query, context, res }) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    const { steering, logger } = context;
    const content = { titleId: params.titleId, encodingId: params.encodingId };
    // Checked as of the epoch: an expired token's player is renewing it, and should still be steered.
    const check = verifyContentToken(steering.contentTokenSecret, params.token, content, new Date(0));
    if (!check.ok) throw new Forbidden(contentTokenRefusals[check.reason]);
    const { pathways, region } = check.claims;
    let ranked: string[];
    try {
      // Only the ids matter here: players map them to the URLs in their manifest.
      const targets = await rankHoldingEdges(
        { viewStore: context.viewStore, edgeHealth: steering.edgeHealth },
        content,
        {
          viewerRegion: region,
          originUrl: '',
          among: pathways,
          currentEdgeId: currentEdgeOf(query, pathways),
        },
      );
      const edges = targets.flatMap((target) => (target.edgeId ? [target.edgeId] : []));
      // While edge health (Redis) is out it answers the edges seen healthy moments ago. Once none
      // of the session's is, the order it started with is still the best guess: moving every
      // running player to the origin at once would be worse. The outage is logged once and in /readyz.
      ranked =
        edges.length === 0 && steering.edgeHealth.outage()
          ? [...pathways, originPathwayId]
          : [...edges, originPathwayId];
    } catch (error) {
      // Without the edge inventory view the order the session started with is still the best guess.
      logger.warn(
        { err: error },
        'steering without the edge inventory: answering the pathways in the order of the token',
      );
      ranked = [...pathways, originPathwayId];
    }
    return {
      VERSION: 1 as const,
      TTL: steering.ttlSeconds,
      // Relative, so it holds behind any proxy; players add their own parameters again each time.
      'RELOAD-URI': `./${encodeURIComponent(params.encodingId)}`,
      'PATHWAY-PRIORITY': ranked,
    };
  },
});
