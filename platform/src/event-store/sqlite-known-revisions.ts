import type Database from 'better-sqlite3';

const maxCachedStreams = 50_000;

/**
 * Stream revisions known to this process, so an append skips a lookup and a reader catching a
 * cached aggregate up skips an empty query. They stay valid while no other process has written:
 * each write transaction first checks that the head is where this process left it, and a read
 * checks `data_version`, which moves only when another connection commits.
 */
export const createKnownRevisions = (db: Database.Database) => {
  const revisions = new Map<string, number>();
  let headWrittenHere = -1;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get();
  return {
    get: (streamName: string) => revisions.get(streamName),
    set: (streamName: string, revision: number) => revisions.set(streamName, revision),
    forget: () => revisions.clear(),
    /** Inside a write transaction, before writing: forgets all if another process wrote since. */
    beginWrite: (head: number) => {
      if (head !== headWrittenHere || revisions.size > maxCachedStreams) revisions.clear();
    },
    /** Inside the write transaction, after writing. */
    endWrite: (head: number) => {
      headWrittenHere = head;
    },
    /** For a reader: false (and forgets all) when another connection committed since the last look. */
    stillValid: () => {
      const now = dataVersion.get();
      if (now === seenDataVersion) return true;
      seenDataVersion = now;
      revisions.clear();
      return false;
    },
  };
};

export type KnownRevisions = ReturnType<typeof createKnownRevisions>;
