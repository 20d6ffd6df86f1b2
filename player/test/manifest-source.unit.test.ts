import { describe, expect, it } from 'vitest';
import {
  fetchFirstManifest,
  firstManifestAttempt,
  type ManifestAttempt,
  NoManifestAnswered,
  nextManifestAttempt,
} from '../src/app/watch/manifest-source';
import { placesOf } from '../src/app/watch/places';

const ranked = placesOf(
  ['http://edge-a/m.mpd', 'http://edge-b/m.mpd', 'http://origin/m.mpd'].map((url, index) => ({
    dash: url,
    hls: url.replace('m.mpd', 'master.m3u8'),
    edgeId: index < 2 ? `edge-${index}` : null,
    region: null,
  })),
);

const answering = (answers: Record<string, number | 'refused'>) => {
  const asked: string[] = [];
  const fetch = async (url: string) => {
    asked.push(url);
    const answer = answers[url] ?? 'refused';
    if (answer === 'refused') throw new TypeError('fetch failed');
    return { ok: answer < 300, status: answer, text: async () => `<MPD from="${url}"/>` };
  };
  return { asked, fetch };
};

describe('the manifest comes from the first place that answers', () => {
  it('the first ranked place when it answers', async () => {
    const { asked, fetch } = answering({ 'http://edge-a/m.mpd': 200 });
    expect(await fetchFirstManifest(ranked, 'dash', { fetch })).toEqual({
      text: '<MPD from="http://edge-a/m.mpd"/>',
      index: 0,
      url: 'http://edge-a/m.mpd',
    });
    expect(asked).toEqual(['http://edge-a/m.mpd']);
  });

  it('the next ones in rank order when earlier ones refuse or fail', async () => {
    const { asked, fetch } = answering({ 'http://edge-b/m.mpd': 503, 'http://origin/m.mpd': 200 });
    expect((await fetchFirstManifest(ranked, 'dash', { fetch })).index).toBe(2);
    expect(asked).toEqual(ranked.map((r) => r.dash));
  });

  it('says what each place answered when none did', async () => {
    const { fetch } = answering({ 'http://edge-b/m.mpd': 403 });
    const failure = await fetchFirstManifest(ranked, 'dash', { fetch }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoManifestAnswered);
    expect((failure as NoManifestAnswered).failures).toEqual([
      'edge-0: fetch failed',
      'edge-1: 403',
      'origin: fetch failed',
    ]);
  });

  it('is the HLS master for the native HLS player, from the same ranked places', async () => {
    const { asked, fetch } = answering({ 'http://edge-b/master.m3u8': 200 });
    expect(await fetchFirstManifest(ranked, 'hls', { fetch })).toMatchObject({
      index: 1,
      url: 'http://edge-b/master.m3u8',
    });
    expect(asked).toEqual(['http://edge-a/master.m3u8', 'http://edge-b/master.m3u8']);
  });
});

describe('dash.js is handed the places in the same order', () => {
  it('the next ranked place after one that did not answer, with what it answered', () => {
    const second = nextManifestAttempt(ranked, firstManifestAttempt, 'no answer');
    expect(second).toEqual({ index: 1, failures: ['edge-0: no answer'] });
    expect(nextManifestAttempt(ranked, second as ManifestAttempt, '403')).toEqual({
      index: 2,
      failures: ['edge-0: no answer', 'edge-1: 403'],
    });
  });

  it('says what each place answered once the last did not', () => {
    const failure = nextManifestAttempt(ranked, { index: 2, failures: ['edge-0: no answer', 'edge-1: 403'] }, '503');
    expect(failure).toBeInstanceOf(NoManifestAnswered);
    expect((failure as NoManifestAnswered).failures).toEqual(['edge-0: no answer', 'edge-1: 403', 'origin: 503']);
  });
});
