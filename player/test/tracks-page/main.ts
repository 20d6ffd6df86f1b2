/// <reference lib="dom" />
/*
 * A bare page for tracks-in-chromium.int.test.ts: the watch page's track menus and seek bar over
 * the player's own engine wiring (dash.js, or the browser's own HLS with `engine=hls`), on a
 * package served beside it, in the languages the query string names. What the test reads is left
 * on `window.tracksPage`.
 */
import { mount } from 'svelte';
import Harness from './Harness.svelte';

const params = new URLSearchParams(location.search);
mount(Harness, {
  target: document.body,
  props: {
    languages: { audioLanguage: params.get('audio'), captionLanguage: params.get('captions') },
    engine: params.get('engine') === 'hls' ? 'hls' : 'dash',
    manifest: params.get('manifest') ?? 'manifest.mpd',
  },
});
