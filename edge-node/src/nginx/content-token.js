/*
 * njs (nginx's JavaScript, 0.7.9 on Debian 12): decides in nginx whether a segment request is a
 * hit it may send itself, so that a hit costs no trip through Node. The same rules as
 * platform/src/content/content-tokens.ts and the edge's path check, kept deliberately narrow:
 * anything this script does not accept (an odd path, a bad or expired token, a rung above the
 * cap, an unavailable title, a method other than GET/HEAD) goes to Node unchanged, which answers
 * with the exact reason. So this may be stricter than Node, never looser; the tests compare them.
 *
 * The secret comes from the environment (nginx `env` directive), never from a file.
 */
// biome-ignore lint/style/useNodejsImportProtocol: njs names its modules without `node:`
import crypto from 'crypto';

const secret = process.env.MARQUEE_CONTENT_TOKEN_SECRET || '';

// /c/<token>/<titleId>/<encodingId>/<file…>: raw (not percent-decoded) plain segments only.
const plain = '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}';
const segmentPath = new RegExp(
  `^/c/([A-Za-z0-9_-]{4,2048})\\.([A-Za-z0-9_-]{43})/(${plain})/(${plain})/((?:${plain}/){0,8}${plain}\\.m4s)$`,
);
const rungOfFile = /^(?:init|segment|media)-v(\d{1,5})[-.]/;

const pathOf = (r) => {
  const uri = r.variables.request_uri || '';
  const query = uri.indexOf('?');
  return query < 0 ? uri : uri.substring(0, query);
};

// njs 0.7.9 has no optional catch binding (`catch {`).
const base64urlJson = (encoded) => {
  try {
    return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (_notJson) {
    return undefined;
  }
};

// As readClaims in content-tokens.ts: a field of the wrong type makes the token malformed.
const claimsOf = (wire) => {
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) return undefined;
  if (typeof wire.x !== 'number' || !Number.isInteger(wire.x)) return undefined;
  if (wire.h !== undefined && (typeof wire.h !== 'number' || !(wire.h > 0))) return undefined;
  if (wire.s !== undefined && typeof wire.s !== 'string') return undefined;
  if (wire.r !== undefined && typeof wire.r !== 'string') return undefined;
  if (wire.p !== undefined) {
    if (!Array.isArray(wire.p) || !wire.p.every((pathway) => typeof pathway === 'string')) return undefined;
  }
  return wire;
};

// No timingSafeEqual in njs: compare every character whatever the first difference.
const sameMac = (a, b) => {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
};

/** js_set $held_file: `/<titleId>/<encodingId>/<file>` under the content folder, or '' for Node. */
function heldFile(r) {
  if (r.method !== 'GET' && r.method !== 'HEAD') return '';
  if (secret.length === 0) return '';
  const match = segmentPath.exec(pathOf(r));
  if (!match) return '';
  const claims = match[1];
  const titleId = match[3];
  const encodingId = match[4];
  const file = match[5];
  const expected = crypto
    .createHmac('sha256', secret)
    .update(`${titleId}/${encodingId}\n${claims}`)
    .digest('base64url');
  if (!sameMac(expected, match[2])) return '';
  const wire = claimsOf(base64urlJson(claims));
  if (!wire) return '';
  if (wire.x * 1000 <= Date.now()) return '';
  const rung = rungOfFile.exec(file.substring(file.lastIndexOf('/') + 1));
  if (wire.h !== undefined && rung && Number(rung[1]) > wire.h) return '';
  if (r.variables.content_title_unavailable === '1') return '';
  // For the access log, without parsing the claims a second time.
  r.variables.content_session = typeof wire.s === 'string' ? wire.s : '';
  r.variables.content_region = typeof wire.r === 'string' ? wire.r : '';
  return `/${titleId}/${encodingId}/${file}`;
}

export default { heldFile: heldFile };
