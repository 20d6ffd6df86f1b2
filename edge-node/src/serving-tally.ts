import type { ServingRow, ServingSession, servingClients, servingStatuses } from '@marquee/domain';
import { videoHeightOfFile } from '@marquee/platform';

/*
 * What a node served during one interval, summed as requests finish: one row per (title,
 * encoding, rung, status, client), one entry per viewer session. Pure and synchronous, so that
 * counting a request costs two map lookups on the hot path; the reporter decides when an
 * interval closes and what becomes of it.
 */

export type ServingStatus = (typeof servingStatuses)[number];
export type ServingClient = (typeof servingClients)[number];

/** One answered content request, as the content server or nginx's access log saw it. */
export type ServedRequest = {
  titleId: string;
  encodingId: string;
  /** The file inside the package (`segment-v720-00001.m4s`): its rung is read from its name. */
  file: string;
  status: ServingStatus;
  /** A viewer's player (a token with a session), or another node filling or pulling through (a token without). */
  client: ServingClient;
  /** The viewer's session, from its signed token; null for another node, or a token that could not be read. */
  sessionId: string | null;
  /** The viewer's region, from the session's signed token. */
  region: string | null;
  /** Body bytes actually sent (0 for a refusal, a 304 or a HEAD). */
  bytes: number;
};

export type ServingTally = {
  rows: Map<string, ServingRow>;
  sessions: Map<string, ServingSession>;
};

export const createServingTally = (): ServingTally => ({ rows: new Map(), sessions: new Map() });

export const isEmptyTally = (tally: ServingTally) => tally.rows.size === 0;

export const recordServed = (tally: ServingTally, served: ServedRequest): void => {
  const { client } = served;
  const rung = videoHeightOfFile(served.file);
  const rowKey = `${served.titleId}\n${served.encodingId}\n${rung ?? ''}\n${served.status}\n${client}`;
  const row = tally.rows.get(rowKey);
  if (row) {
    row.requests += 1;
    row.bytes += served.bytes;
  } else
    tally.rows.set(rowKey, {
      titleId: served.titleId,
      encodingId: served.encodingId,
      rung,
      status: served.status,
      client,
      requests: 1,
      bytes: served.bytes,
    });
  if (served.sessionId === null || client !== 'viewer') return;
  // A session's token is scoped to one encoding; keyed by all three all the same, should one ever not be.
  const sessionKey = `${served.sessionId}\n${served.titleId}\n${served.encodingId}`;
  const session = tally.sessions.get(sessionKey) ?? {
    sessionId: served.sessionId,
    titleId: served.titleId,
    encodingId: served.encodingId,
    region: served.region,
    requests: 0,
    hitBytes: 0,
    missBytes: 0,
  };
  session.requests += 1;
  if (served.status === 'hit') session.hitBytes += served.bytes;
  if (served.status === 'miss') session.missBytes += served.bytes;
  tally.sessions.set(sessionKey, session);
};

export type ServingCaps = { rows: number; sessions: number };
export const defaultServingCaps: ServingCaps = { rows: 500, sessions: 1000 };

export type ServingFigures = {
  rows: ServingRow[];
  sessions: ServingSession[];
  overflow: { rows: number; sessions: number; requests: number; bytes: number };
};

/**
 * The interval's figures within the event's caps: the rows and sessions with the most bytes are
 * kept whole, in a deterministic order. The rows past the cap are summed into `overflow`
 * (requests, bytes), so the node's totals stay exact; the sessions past it are only counted,
 * since a session's bytes are already in the rows.
 */
export const servingFigures = (tally: ServingTally, caps: ServingCaps = defaultServingCaps): ServingFigures => {
  const rows = [...tally.rows.values()].sort(
    (a, b) =>
      b.bytes - a.bytes ||
      b.requests - a.requests ||
      a.titleId.localeCompare(b.titleId) ||
      a.encodingId.localeCompare(b.encodingId) ||
      (a.rung ?? 0) - (b.rung ?? 0) ||
      a.status.localeCompare(b.status) ||
      a.client.localeCompare(b.client),
  );
  const sessions = [...tally.sessions.values()].sort(
    (a, b) =>
      b.hitBytes + b.missBytes - (a.hitBytes + a.missBytes) ||
      b.requests - a.requests ||
      a.sessionId.localeCompare(b.sessionId) ||
      a.titleId.localeCompare(b.titleId) ||
      a.encodingId.localeCompare(b.encodingId),
  );
  const past = rows.slice(caps.rows);
  return {
    rows: rows.slice(0, caps.rows),
    sessions: sessions.slice(0, caps.sessions),
    overflow: {
      rows: past.length,
      sessions: Math.max(0, sessions.length - caps.sessions),
      requests: past.reduce((sum, row) => sum + row.requests, 0),
      bytes: past.reduce((sum, row) => sum + row.bytes, 0),
    },
  };
};
