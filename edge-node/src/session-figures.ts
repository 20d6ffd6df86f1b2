import { LRUCache } from 'lru-cache';
import type { CmcdFigures } from './cmcd';

/*
 * What this node served each playback session: requests, bytes, and the last bitrate and buffer
 * length the player reported. A session is named by its CMCD session id, or by its token's
 * session when the player sends no CMCD. Bounded: the sessions least recently seen are dropped,
 * so a node serving millions of viewers keeps a fixed amount of memory.
 */

export type SessionFigures = {
  sessionId: string;
  contentId: string | null;
  requests: number;
  bytes: number;
  lastBitrateKbps: number | null;
  lastBufferMs: number | null;
  lastObjectType: string | null;
  lastSeenAt: string;
};

export const createSessionFigures = ({ max = 1000, now = () => new Date() } = {}) => {
  const sessions = new LRUCache<string, SessionFigures>({ max });
  return {
    /** One request of a session; returns how to add the bytes once they are sent. */
    request: (sessionId: string, cmcd: CmcdFigures | undefined): ((bytes: number) => void) => {
      const at = now().toISOString();
      const figures = sessions.get(sessionId) ?? {
        sessionId,
        contentId: null,
        requests: 0,
        bytes: 0,
        lastBitrateKbps: null,
        lastBufferMs: null,
        lastObjectType: null,
        lastSeenAt: at,
      };
      figures.requests += 1;
      figures.lastSeenAt = at;
      if (cmcd?.contentId !== undefined) figures.contentId = cmcd.contentId;
      if (cmcd?.bitrateKbps !== undefined) figures.lastBitrateKbps = cmcd.bitrateKbps;
      if (cmcd?.bufferMs !== undefined) figures.lastBufferMs = cmcd.bufferMs;
      if (cmcd?.objectType !== undefined) figures.lastObjectType = cmcd.objectType;
      sessions.set(sessionId, figures);
      return (bytes) => {
        figures.bytes += bytes;
      };
    },
    /** Most recently seen first. */
    list: (): SessionFigures[] => [...sessions.values()],
  };
};

export type SessionFiguresTable = ReturnType<typeof createSessionFigures>;
