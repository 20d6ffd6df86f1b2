/*
 * The places a title is played from, as POST /playback ranks them (edges best first, the origin
 * last), and which of them a request went to. dash.js names a place by its serviceLocation (the
 * edge id, or `origin`), which is also the pathway id content steering ranks.
 */
import type { RankedManifest } from '../api/types';
import { packageKeyOf } from './token-in-url';

/** The same name the server gives the origin's pathway, and the analysts' edge-qoe view its sessions. */
export const originServiceLocation = 'origin';

export type Place = {
  /** The edge id, or 'origin': the BaseURL's serviceLocation and the steering pathway id. */
  serviceLocation: string;
  edgeId: string | null;
  region: string | null;
  /** The DASH manifest and the HLS master on this place, each with the token in its path. */
  dash: string;
  hls: string;
  /** The place's package folder without the token (see packageKeyOf). */
  key: string | null;
};

export const placesOf = (manifests: readonly RankedManifest[]): Place[] =>
  manifests.map((manifest) => ({
    serviceLocation: manifest.edgeId ?? originServiceLocation,
    edgeId: manifest.edgeId,
    region: manifest.region,
    dash: manifest.dash,
    hls: manifest.hls,
    key: packageKeyOf(manifest.dash),
  }));

/**
 * The place a request went to: by the serviceLocation dash.js chose it for when it says, or else
 * by the URL's package folder, whatever token the URL carries.
 */
export const placeOf = (
  request: { url: string; serviceLocation?: string | null | undefined },
  places: readonly Place[],
): Place | undefined => {
  const named = request.serviceLocation ? places.find((p) => p.serviceLocation === request.serviceLocation) : undefined;
  if (named) return named;
  const key = packageKeyOf(request.url);
  return key === null ? undefined : places.find((place) => place.key === key);
};

/** The package folder of a place's manifest URL (the manifest's file name cut off), token included. */
export const packageFolderOf = (manifestUrl: string): string =>
  manifestUrl.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
