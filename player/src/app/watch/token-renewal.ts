/*
 * The content token is short-lived and renewed by heartbeats: each answer brings a fresh one
 * with the same grant. Heartbeats come often enough that a token never runs out between two of
 * them (a third of what is left of the freshest, so a missed beat still leaves time for two
 * more), and on native HLS, where the player cannot rewrite its own requests, the source is
 * swapped to the fresh token only when the one it plays with would run out before the next beat.
 */

export type ContentTokenState = {
  token: string;
  expiresAtMs: number;
  /** How many times a heartbeat brought a fresh token. */
  renewals: number;
};

export const firstContentToken = (token: string, expiresAt: string): ContentTokenState => ({
  token,
  expiresAtMs: Date.parse(expiresAt),
  renewals: 0,
});

/** The state after a heartbeat answer: a new token when it brought one (and it is not the same one). */
export const renewContentToken = (
  state: ContentTokenState,
  answer: { token?: string | undefined; tokenExpiresAt?: string | undefined },
): ContentTokenState => {
  if (!answer.token || !answer.tokenExpiresAt || answer.token === state.token) return state;
  const expiresAtMs = Date.parse(answer.tokenExpiresAt);
  if (!Number.isFinite(expiresAtMs)) return state;
  return { token: answer.token, expiresAtMs, renewals: state.renewals + 1 };
};

/** The longest wait between heartbeats, whatever the token's life (the session lease needs them too). */
export const maxHeartbeatIntervalMs = 10_000;
/** The shortest, so a token already near its end does not turn heartbeats into a flood. */
export const minHeartbeatIntervalMs = 1_000;

/**
 * How long until the next heartbeat, given when the freshest token runs out: a third of what is
 * left of it (so at least every TTL/3 right after a renewal), within the bounds above. It
 * trusts the browser's clock to be within a fraction of the token's life of the server's.
 */
export const heartbeatDelayMs = (tokenExpiresAtMs: number, nowMs: number): number => {
  const left = tokenExpiresAtMs - nowMs;
  if (!Number.isFinite(left)) return maxHeartbeatIntervalMs;
  return Math.round(Math.min(maxHeartbeatIntervalMs, Math.max(minHeartbeatIntervalMs, left / 3)));
};

/**
 * Whether native HLS should move to the fresh token now: the token its source carries runs out
 * before the next heartbeat (with half a beat to spare for a late one), and a fresher one exists.
 * Each move reloads the source (the one stall renewal costs there), so it is put off as long as it is safe.
 */
export const nativeSourceDue = (input: {
  inUseToken: string;
  inUseExpiresAtMs: number;
  freshest: ContentTokenState;
  nextHeartbeatInMs: number;
  nowMs: number;
}): boolean =>
  input.freshest.token !== input.inUseToken && input.inUseExpiresAtMs - input.nowMs <= input.nextHeartbeatInMs * 1.5;
