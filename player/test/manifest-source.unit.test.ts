import { describe, expect, it } from 'vitest';
import { fetchFirstManifest, NoManifestAnswered } from '../src/app/watch/manifest-source';

const ranked = ['http://edge-a/m.mpd', 'http://edge-b/m.mpd', 'http://origin/m.mpd'].map((url, index) => ({
  url,
  edgeId: index < 2 ? `edge-${index}` : null,
}));

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
    expect(await fetchFirstManifest(ranked, { fetch })).toEqual({
      text: '<MPD from="http://edge-a/m.mpd"/>',
      index: 0,
    });
    expect(asked).toEqual(['http://edge-a/m.mpd']);
  });

  it('the next ones in rank order when earlier ones refuse or fail', async () => {
    const { asked, fetch } = answering({ 'http://edge-b/m.mpd': 503, 'http://origin/m.mpd': 200 });
    expect((await fetchFirstManifest(ranked, { fetch })).index).toBe(2);
    expect(asked).toEqual(ranked.map((r) => r.url));
  });

  it('says what each place answered when none did', async () => {
    const { fetch } = answering({ 'http://edge-b/m.mpd': 403 });
    const failure = await fetchFirstManifest(ranked, { fetch }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoManifestAnswered);
    expect((failure as NoManifestAnswered).failures).toEqual([
      'edge-0: fetch failed',
      'edge-1: 403',
      'origin: fetch failed',
    ]);
  });
});
