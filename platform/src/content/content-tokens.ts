import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * A content token lets a player fetch one encoding of one title until it expires, and says
 * what else the session may do. It rides in the URL path, so that every relative URL in a
 * manifest or playlist carries it and any standard player (ffmpeg, VLC, a TV) can use it:
 *
 *   /c/<token>/<titleId>/<encodingId>/<file…>
 *
 * The token is `<claims>.<mac>`: the claims as base64url JSON, and an HMAC-SHA256 over the
 * title, the encoding and the claims. The command API signs it at playback start and renews it
 * with heartbeats; edges, the origin and the nginx front (njs, see edge-node) check it on
 * every request without asking anyone. Nothing secret is in the claims.
 */

export const contentPathRoot = '/c/';

/** What a token grants, besides its title and encoding. */
export type ContentGrant = {
  /** The playback session, or null for an edge filling itself from its upstream. */
  sessionId: string | null;
  /** The tallest video rung the session may fetch; null for every rung. */
  maxHeight: number | null;
  /** The viewer's region, which steering ranks edges by. */
  region: string | null;
  /** The edges the session was steered to, best first; the origin is always the last pathway. */
  pathways: string[];
};

export type ContentClaims = ContentGrant & { expiresAt: number };

/** The origin's pathway id, in manifests (`serviceLocation`, `PATHWAY-ID`) and steering answers. */
export const originPathwayId = 'origin';

type WireClaims = { x: number; s?: string; h?: number; r?: string; p?: string[] };

const signature = (secret: string, titleId: string, encodingId: string, claims: string) =>
  createHmac('sha256', secret).update(`${titleId}/${encodingId}\n${claims}`).digest('base64url');

export const signContentToken = (
  secret: string,
  scope: { titleId: string; encodingId: string },
  grant: ContentGrant,
  options: { ttlSeconds: number; now?: Date },
): { token: string; expiresAt: Date } => {
  const expiresAt = Math.floor((options.now ?? new Date()).getTime() / 1000) + options.ttlSeconds;
  const wire: WireClaims = {
    x: expiresAt,
    ...(grant.sessionId !== null && { s: grant.sessionId }),
    ...(grant.maxHeight !== null && { h: grant.maxHeight }),
    ...(grant.region !== null && { r: grant.region }),
    ...(grant.pathways.length > 0 && { p: grant.pathways }),
  };
  const claims = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return {
    token: `${claims}.${signature(secret, scope.titleId, scope.encodingId, claims)}`,
    expiresAt: new Date(expiresAt * 1000),
  };
};

export type ContentTokenReason = 'malformed' | 'expired' | 'invalid';
export type ContentTokenCheck = { ok: true; claims: ContentClaims } | { ok: false; reason: ContentTokenReason };

const tokenShape = /^([A-Za-z0-9_-]{4,2048})\.([A-Za-z0-9_-]{43})$/;

const readClaims = (encoded: string): ContentClaims | undefined => {
  try {
    const wire = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<WireClaims>;
    if (typeof wire.x !== 'number' || !Number.isInteger(wire.x)) return undefined;
    if (wire.h !== undefined && (typeof wire.h !== 'number' || !(wire.h > 0))) return undefined;
    if (wire.s !== undefined && typeof wire.s !== 'string') return undefined;
    if (wire.r !== undefined && typeof wire.r !== 'string') return undefined;
    if (wire.p !== undefined && !(Array.isArray(wire.p) && wire.p.every((p) => typeof p === 'string')))
      return undefined;
    return {
      expiresAt: wire.x,
      sessionId: wire.s ?? null,
      maxHeight: wire.h ?? null,
      region: wire.r ?? null,
      pathways: wire.p ?? [],
    };
  } catch {
    return undefined;
  }
};

/** Checks a token for a title's encoding: signed for exactly that scope, well formed, not expired. */
export const verifyContentToken = (
  secret: string,
  token: string,
  scope: { titleId: string; encodingId: string },
  now: Date = new Date(),
): ContentTokenCheck => {
  const match = tokenShape.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, encoded = '', mac = ''] = match;
  const expected = Buffer.from(signature(secret, scope.titleId, scope.encodingId, encoded));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  const claims = readClaims(encoded);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (claims.expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
};

/** What a viewer is told for each refusal; the same words from Node and from nginx. */
export const contentTokenRefusals: Record<ContentTokenReason, string> = {
  malformed: 'The URL has no valid content token: use the URLs that playback start answers with.',
  expired: 'The content token has expired: the player renews it with its heartbeats, or start playback again.',
  invalid: 'The content token is not valid for this title.',
};

/** A file's path inside a package as a URL path: each segment encoded, the slashes kept. */
export const encodePackagePath = (file: string) => file.split('/').map(encodeURIComponent).join('/');

/** `/c/<token>/<titleId>/<encodingId>/<file>`: the path of one file (or, with no file, the package folder). */
export const contentPath = (token: string, titleId: string, encodingId: string, file = '') =>
  `${contentPathRoot}${token}/${encodeURIComponent(titleId)}/${encodeURIComponent(encodingId)}/${encodePackagePath(file)}`;

/** The same on a server: `<base>/c/<token>/<titleId>/<encodingId>/<file>`. */
export const contentUrl = (base: string, token: string, titleId: string, encodingId: string, file = '') =>
  `${base.replace(/\/+$/, '')}${contentPath(token, titleId, encodingId, file)}`;

/** A URL or path with its content token hidden, for logs and error messages. */
export const redactContentToken = (text: string) => text.replace(/\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\//g, '/c/…/');

/*
 * Package files are named by what they hold, so a server can tell a file's rung from its name
 * alone (nginx included): the encoder names video representations `v<height>` (`init-v720.m4s`,
 * `segment-v720-00001.m4s`, `media-v720.m3u8`) and audio ones `a<n>`.
 */
export const videoRepresentationId = (height: number) => `v${height}`;
export const audioRepresentationId = (index: number) => `a${index}`;

/** The video height a package file belongs to, or null for a file of no video rung. */
export const videoHeightOfFile = (file: string): number | null => {
  const match = /^(?:init|segment|media)-v(\d{1,5})[-.]/.exec(file.slice(file.lastIndexOf('/') + 1));
  return match ? Number(match[1]) : null;
};

/** Why a token may not fetch a file, or null when it may. */
export const rungRefusal = (claims: ContentClaims, file: string): string | null => {
  const height = videoHeightOfFile(file);
  if (height === null || claims.maxHeight === null || height <= claims.maxHeight) return null;
  return `The ${height}p rung is above this session's limit of ${claims.maxHeight}p (the plan's height cap).`;
};
