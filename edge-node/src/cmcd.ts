import type { IncomingHttpHeaders } from 'node:http';
import { CMCD_HEADER_FIELDS, CMCD_PARAM, decodeCmcd } from '@svta/cml-cmcd';

/*
 * Common Media Client Data (CTA-5004): what a player says about itself with each request, as a
 * `CMCD=` query parameter (dash.js's default) or as the four CMCD-* headers. An edge keeps the
 * few keys it reports per session: session id, content id, encoded bitrate, buffer length and
 * object type. Anything malformed is ignored: CMCD is telemetry, never a reason to refuse bytes.
 */

export type CmcdFigures = {
  sessionId?: string;
  contentId?: string;
  /** Encoded bitrate of the object requested, kbit/s. */
  bitrateKbps?: number;
  /** Buffer length when the request was made, ms. */
  bufferMs?: number;
  /** Object type: v (video), a (audio), m (manifest), i (init), … */
  objectType?: string;
};

const decode = (text: string): Record<string, unknown> => {
  try {
    return decodeCmcd(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

const pick = (data: Record<string, unknown>): CmcdFigures | undefined => {
  const figures: CmcdFigures = {};
  if (typeof data.sid === 'string') figures.sessionId = data.sid.slice(0, 128);
  if (typeof data.cid === 'string') figures.contentId = data.cid.slice(0, 128);
  if (typeof data.br === 'number' && Number.isFinite(data.br)) figures.bitrateKbps = data.br;
  if (typeof data.bl === 'number' && Number.isFinite(data.bl)) figures.bufferMs = data.bl;
  if (typeof data.ot === 'string') figures.objectType = data.ot.slice(0, 8);
  return Object.keys(figures).length > 0 ? figures : undefined;
};

/** The CMCD of a request, from its query string (without `?`) or its headers; undefined when it sent none. */
export const readCmcd = (query: string, headers: IncomingHttpHeaders): CmcdFigures | undefined => {
  if (query.includes(`${CMCD_PARAM}=`)) {
    const value = new URLSearchParams(query).get(CMCD_PARAM);
    if (value) return pick(decode(value));
  }
  const fields = CMCD_HEADER_FIELDS.map((field) => headers[field.toLowerCase()]).filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  return fields.length > 0 ? pick(decode(fields.join(','))) : undefined;
};
