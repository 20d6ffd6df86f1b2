/// <reference lib="dom" />
/*
 * A bare page for tracks-in-chromium.int.test.ts: the player's own dash.js wiring (startDashPlayer,
 * with its track choice) on a package served beside it, in the languages the query string names.
 * What the test reads is left on `window.tracksPage`.
 */
import { loadDashjs } from '../../src/app/watch/dash-loader';
import { startDashPlayer } from '../../src/app/watch/dash-player';
import type { PlayerTracks } from '../../src/app/watch/dash-tracks';
import { placesOf } from '../../src/app/watch/places';

const params = new URLSearchParams(location.search);
const video = document.querySelector('video') as HTMLVideoElement;
const seen: PlayerTracks[] = [];
const errors: unknown[] = [];
const ignore = () => {};

const dash = startDashPlayer(await loadDashjs(), video, {
  session: { sessionId: 's-1', titleId: 't-1' },
  contentToken: () => 'unused.token',
  places: placesOf([
    { edgeId: null, region: null, dash: `${location.origin}/media/manifest.mpd`, hls: `${location.origin}/none` },
  ]),
  startAtSeconds: 0,
  languages: { audioLanguage: params.get('audio'), captionLanguage: params.get('captions') },
  now: () => performance.now(),
  signals: {
    manifestFrom: ignore,
    delivery: ignore,
    playback: ignore,
    rendered: ignore,
    notAllowed: ignore,
    ended: ignore,
    tracks: (tracks) => seen.push(tracks),
    error: (error) => errors.push(error),
  },
});

Object.assign(window, { tracksPage: { dash, player: dash.player, seen, errors } });
