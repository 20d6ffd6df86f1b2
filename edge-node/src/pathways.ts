import { type ContentClaims, contentUrl, originPathwayId } from '@marquee/platform';

/*
 * The pathways a session's manifest lists: each a node that serves the same package under the
 * same token. The node answering comes first (it is alive: a client that reads only the first
 * BaseURL or variant, like ffmpeg or VLC, stays on it), then the edges the session was steered
 * to in their order, then the origin, which is always the last resort.
 */

export type Pathway = { id: string; url: string };

export type PathwayDirectory = {
  /** This node's pathway: its edge id and public URL, or `origin`. */
  self: Pathway;
  /** The origin's public URL. */
  originUrl: string;
  /** An edge's public URL, from its EdgeRegistered event; undefined for an edge never registered. */
  edgeUrl(edgeId: string): string | undefined;
};

export const pathwaysFor = (claims: ContentClaims, directory: PathwayDirectory): Pathway[] => {
  const listed: Pathway[] = [directory.self];
  const add = (pathway: Pathway) => {
    if (!listed.some((known) => known.id === pathway.id)) listed.push(pathway);
  };
  for (const edgeId of claims.pathways) {
    if (edgeId === originPathwayId) continue;
    const url = edgeId === directory.self.id ? directory.self.url : directory.edgeUrl(edgeId);
    if (url) add({ id: edgeId, url });
  }
  add({ id: originPathwayId, url: directory.originUrl });
  return listed;
};

/** The folder of the package on a pathway, with the token: what every relative URL resolves against. */
export const pathwayBase = (pathway: Pathway, token: string, titleId: string, encodingId: string) =>
  contentUrl(pathway.url, token, titleId, encodingId);

/** `<STEERING_URL>/<token>/<titleId>/<encodingId>`: where a client asks which pathway to use. */
export const steeringUrlFor = (steeringUrl: string, token: string, titleId: string, encodingId: string) =>
  `${steeringUrl.replace(/\/+$/, '')}/${token}/${encodeURIComponent(titleId)}/${encodeURIComponent(encodingId)}`;
