/*
 * How dash.js is tuned for Marquee. Failover: a segment request that fails is not retried on
 * the same place; dash.js blacklists that place's serviceLocation at once and asks the next
 * ranked BaseURL. A dead edge (connection refused) costs a few hundred milliseconds; one that
 * hangs is given up on after `fragmentRequestTimeoutMs`. A place that only blipped may be
 * chosen again a minute later. The plan's height cap is a bitrate cap chosen from the ladder.
 */

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

export const playerSettings = (videoBitrateCapKbps: number | null) => ({
  streaming: {
    // Segments fail over to the next place at once; anything else is tried once more first.
    retryAttempts: retries(0, 1),
    retryIntervals: retries(retryIntervalMs, retryIntervalMs),
    fragmentRequestTimeout: fragmentRequestTimeoutMs,
    manifestRequestTimeout: fragmentRequestTimeoutMs,
    blacklistExpiryTime: blacklistSeconds,
    abr: { maxBitrate: { video: videoBitrateCapKbps ?? -1 } },
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
