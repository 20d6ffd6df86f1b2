/*
 * What `npm start` does when a service dies that nobody stopped: start it again after a pause
 * that doubles with each recent restart, and give up (stopping everything, said in its output)
 * once it has died too often within a minute, since a service that cannot stay up needs a person.
 */

export type RestartDecision =
  | { kind: 'restart'; delayMs: number; recentRestarts: number }
  | { kind: 'give-up'; recentRestarts: number };

export const restartWindowMs = 60_000;
const longestDelayMs = 30_000;

export type RestartLimits = {
  /** Restarts within a minute before giving up. */
  maxPerMinute: number;
  /** The pause before the first restart; each further one within the minute doubles it. */
  firstDelayMs: number;
};

/** `restartedAt`: when this service was restarted before (ms), oldest first; `now` in ms. */
export const decideRestart = (
  restartedAt: readonly number[],
  now: number,
  { maxPerMinute, firstDelayMs }: RestartLimits,
): RestartDecision => {
  const recentRestarts = restartedAt.filter((at) => now - at < restartWindowMs).length;
  if (recentRestarts >= maxPerMinute) return { kind: 'give-up', recentRestarts };
  return {
    kind: 'restart',
    delayMs: Math.min(Math.max(longestDelayMs, firstDelayMs), firstDelayMs * 2 ** recentRestarts),
    recentRestarts,
  };
};
