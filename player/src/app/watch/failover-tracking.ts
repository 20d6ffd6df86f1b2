/*
 * Which place serves the segments, and how the session moved between places. dash.js moves to
 * the next ranked BaseURL by itself when a place fails; this fold over what its requests got back
 * keeps the account of it: the place serving now, the places given up on, how many times the
 * segments started coming from elsewhere and how long the last move took, and the bytes each
 * place sent (the QoE report is filed under the one that sent the most).
 */

export type ServingPlace = { serviceLocation: string; edgeId: string | null };

export type DeliveryEvent =
  /** A request to a known place answered with an error or not at all; `sentAtMs` is when it was sent. */
  | { type: 'request-failed'; sentAtMs: number }
  /** A request to a known place answered with a success. */
  | { type: 'response-received'; place: ServingPlace; bytes: number; atMs: number }
  /** dash.js spent a place's retries and moved on to the next one. */
  | { type: 'place-abandoned'; serviceLocation: string };

export type FailoverState = {
  /** The place the last segment came from. */
  servingLocation: string | null;
  /** Places whose requests failed after their retries (dash.js blacklists them). */
  failedLocations: readonly string[];
  /** How often segments started coming from another place. */
  failovers: number;
  /** From the first failed request to the first answer from the next place, the last time that happened (ms). */
  lastFailoverMs: number | null;
  /** When requests began failing, since the last one that succeeded. */
  failingSinceMs: number | null;
  bytesByEdge: ReadonlyMap<string | null, number>;
};

export const initialFailover: FailoverState = {
  servingLocation: null,
  failedLocations: [],
  failovers: 0,
  lastFailoverMs: null,
  failingSinceMs: null,
  bytesByEdge: new Map(),
};

export const recordDelivery = (state: FailoverState, event: DeliveryEvent): FailoverState => {
  switch (event.type) {
    case 'request-failed':
      // From when the first failed request was sent: a hung place costs its whole timeout.
      return state.failingSinceMs === null ? { ...state, failingSinceMs: event.sentAtMs } : state;
    case 'response-received': {
      const { place } = event;
      const bytesByEdge = new Map(state.bytesByEdge);
      bytesByEdge.set(place.edgeId, (bytesByEdge.get(place.edgeId) ?? 0) + event.bytes);
      const moved = state.servingLocation !== null && state.servingLocation !== place.serviceLocation;
      return {
        ...state,
        servingLocation: place.serviceLocation,
        failovers: state.failovers + (moved ? 1 : 0),
        lastFailoverMs:
          moved && state.failingSinceMs !== null ? Math.round(event.atMs - state.failingSinceMs) : state.lastFailoverMs,
        failingSinceMs: null,
        bytesByEdge,
      };
    }
    case 'place-abandoned':
      return state.failedLocations.includes(event.serviceLocation)
        ? state
        : { ...state, failedLocations: [...state.failedLocations, event.serviceLocation] };
  }
};
