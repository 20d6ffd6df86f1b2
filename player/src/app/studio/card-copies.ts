// The views catch up with a command a moment after it is taken, so the studio's cards are put together
// from the list, what was made here and each card's own read of its item.

/** One card per item: those made here first (until the list has them), newest first, then the list in its order. */
export const freshThenListed = <Item>(
  fresh: readonly string[],
  listed: readonly Item[],
  idOf: (item: Item) => string,
): { id: string; listed: Item | null }[] => {
  const byId = new Map(listed.map((item) => [idOf(item), item]));
  const made = fresh.filter((id) => !byId.has(id)).map((id) => ({ id, listed: null }));
  return [...made, ...[...byId].map(([id, item]) => ({ id, listed: item }))];
};

type Stamped = { updatedAt: string };

/** The newer of the list's copy and the one the card read itself (its own on a tie). */
export const newestCopy = <Fetched extends Stamped, Listed extends Stamped>(
  fetched: Fetched | null,
  listed: Listed | null,
): Fetched | Listed | null =>
  fetched && (!listed || fetched.updatedAt >= listed.updatedAt) ? fetched : (listed ?? fetched);
