import type { PackageRef } from '@marquee/domain';

/*
 * A title published again with a new encoding (a package revision: captions or a track added)
 * supersedes the encoding before it. Playback start hands out only the published encoding, so no
 * new session plays the old one, but a viewer who started before the revision goes on fetching
 * its segments. While such a viewer may still be playing (it was served within the grace), the
 * old encoding stays and is never evicted for room; once nobody has played it for the grace, the
 * edge removes it. A superseded encoding is never filled again on a miss: what it lacks is
 * streamed through from the upstream.
 */

/** The encoding each title is published with now (undefined: not published). */
export type PublishedEncoding = (titleId: string) => string | undefined;

export const defaultSupersededGraceMs = 10 * 60_000;

/** Whether another encoding of the title is published now. */
export const isSuperseded = (item: PackageRef, publishedEncoding: PublishedEncoding) => {
  const current = publishedEncoding(item.titleId);
  return current !== undefined && current !== item.encodingId;
};

/**
 * The superseded encodings held, parted by whether a viewer may still be on them: `inUse` were
 * requested within the grace and must stay; `idle` have not been served (nor installed) within it
 * and are to be removed. One installed and never played is neither: nobody is on it to protect,
 * and it goes once the grace has passed.
 */
export const supersededHoldings = <Held extends PackageRef & { lastServedAt: number; lastRequestedAt: number | null }>(
  held: readonly Held[],
  publishedEncoding: PublishedEncoding,
  now: number,
  graceMs: number,
) => {
  const superseded = held.filter((item) => isSuperseded(item, publishedEncoding));
  return {
    inUse: superseded.filter((item) => item.lastRequestedAt !== null && now - item.lastRequestedAt < graceMs),
    idle: superseded.filter((item) => now - item.lastServedAt >= graceMs),
  };
};
