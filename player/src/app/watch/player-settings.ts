/*
 * How dash.js is tuned for Marquee. The server writes one BaseURL per place (serviceLocation =
 * edge id, or `origin`) and a <ContentSteering> element into the manifest; dash.js asks the
 * steering server before it starts and again every TTL, and takes its segments from the best
 * ranked place that it has not blacklisted, so a session moves off a failing edge at the next
 * refresh without a reload. Failover stays the last resort: a segment request that fails is not
 * retried on the same place; dash.js blacklists that serviceLocation at once and asks the next
 * BaseURL. A dead edge (connection refused) costs a few hundred milliseconds; one that hangs is
 * given up on after `fragmentRequestTimeoutMs`. A place that only blipped may be chosen again a
 * minute later. The plan's height cap is the server's: the manifest lists only the rungs the
 * session may fetch, so the player sets none of its own.
 */

import { manifestTimeoutMs } from './manifest-source';

/** A segment request that has not finished by then counts as failed (a hung edge). */
export const fragmentRequestTimeoutMs = 4000;
const retryIntervalMs = 250;
const blacklistSeconds = 60;

const retries = (segments: number, others: number) => ({
  MPD: others,
  MediaSegment: segments,
  InitializationSegment: segments,
  BitstreamSwitchingSegment: segments,
  IndexSegment: segments,
  other: others,
});

export type SessionIds = { sessionId: string; titleId: string };

export const playerSettings = (session: SessionIds) => ({
  streaming: {
    // On by default in dash.js 5; said here because failing over before a request fails depends on it.
    applyContentSteering: true,
    // Segments fail over to the next place at once; so does the manifest at the start (the
    // session hands dash.js the next ranked place's URL: see dash-player); anything else is
    // tried once more first.
    retryAttempts: { ...retries(0, 1), MPD: 0 },
    retryIntervals: retries(retryIntervalMs, retryIntervalMs),
    fragmentRequestTimeout: fragmentRequestTimeoutMs,
    manifestRequestTimeout: manifestTimeoutMs,
    blacklistExpiryTime: blacklistSeconds,
    // CMCD in the query (a header would make every segment request a CORS preflight); edges
    // tie what they serve to the session by `sid` and read bitrate, buffer and object type.
    cmcd: {
      enabled: true,
      mode: 'query' as const,
      sid: session.sessionId,
      cid: session.titleId,
      includeInRequests: ['segment'],
    },
    // Tracks (see dash-tracks): captions start off and are shown once the profile's language is
    // found; audio switches in place, replacing the buffer ahead; a choice is the profile's to
    // keep, not dash.js's (its localStorage cache would carry one profile's pick to another).
    text: { defaultEnabled: false },
    trackSwitchMode: { audio: 'alwaysReplace' as const },
    lastMediaSettingsCachingInfo: { enabled: false },
  },
});

/*
 * dash.js error codes (MediaPlayer.errors). A failed download is reported once the place's
 * retries are spent, and dash.js then moves on to the next BaseURL by itself: not fatal.
 * Anything else (no place left, a manifest that cannot be read, a media pipeline failure) is.
 */
const recoverableErrorCodes = new Set([
  17, // FRAGMENT_LOADER_LOADING_FAILURE
  26, // DOWNLOAD_ERROR_ID_SIDX
  27, // DOWNLOAD_ERROR_ID_CONTENT
  28, // DOWNLOAD_ERROR_ID_INITIALIZATION
]);

export const isRecoverablePlayerError = (code: number | undefined): boolean =>
  code !== undefined && recoverableErrorCodes.has(code);
