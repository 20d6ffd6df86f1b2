import { describe, expect, it } from 'vitest';
import {
  demoteUnanswered,
  locationOf,
  NotAManifest,
  packageBaseUrl,
  packageLocations,
  videoBitrateCapKbps,
  videoRepresentations,
  withBaseUrls,
  withContentToken,
} from '../src/app/watch/manifest';

// What the encoder writes (ffmpeg's DASH muxer), cut to two video rungs and the audio.
const mpd = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
\txmlns="urn:mpeg:dash:schema:mpd:2011"
\tprofiles="urn:mpeg:dash:profile:isoff-live:2011"
\ttype="static"
\tmediaPresentationDuration="PT30.0S"
\tminBufferTime="PT8.0S">
\t<ProgramInformation>
\t</ProgramInformation>
\t<ServiceDescription id="0">
\t</ServiceDescription>
\t<Period id="0" start="PT0.0S">
\t\t<AdaptationSet id="0" contentType="video" startWithSAP="1" maxWidth="1920" maxHeight="1080">
\t\t\t<Representation id="0" mimeType="video/mp4" codecs="avc1.640015" bandwidth="300000" width="426" height="240">
\t\t\t\t<SegmentTemplate timescale="12800" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1" />
\t\t\t</Representation>
\t\t\t<Representation id="3" mimeType="video/mp4" codecs="avc1.64001f" bandwidth="2500000" width="1280" height="720">
\t\t\t</Representation>
\t\t\t<Representation id="4" mimeType="video/mp4" codecs="avc1.640028" bandwidth="4500000" width="1920" height="1080">
\t\t\t</Representation>
\t\t</AdaptationSet>
\t\t<AdaptationSet id="1" contentType="audio" lang="und">
\t\t\t<Representation id="5" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="128000" audioSamplingRate="44100">
\t\t\t</Representation>
\t\t</AdaptationSet>
\t</Period>
</MPD>
`;

const ranked = [
  { edgeId: 'edge-a', region: 'eu', url: 'http://127.0.0.1:8101/content/t1/e1/manifest.mpd?token=123.abc' },
  { edgeId: 'edge-b', region: 'us', url: 'http://127.0.0.1:8102/content/t1/e1/manifest.mpd?token=123.abc' },
  { edgeId: null, region: null, url: 'http://127.0.0.1:8100/content/t1/e1/manifest.mpd?token=123.abc' },
];
const locations = packageLocations(ranked);

const baseUrlsOf = (text: string) =>
  [...text.matchAll(/<BaseURL serviceLocation="([^"]*)" dvb:priority="(\d+)"[^>]*>([^<]*)<\/BaseURL>/g)].map((m) => ({
    serviceLocation: m[1],
    priority: Number(m[2]),
    url: m[3],
  }));

describe('the places a package is fetched from', () => {
  it('are the manifest URLs without the file and the token, ranked as steering gave them, origin last', () => {
    expect(packageBaseUrl('http://127.0.0.1:8101/content/t1/e1/manifest.mpd?token=123.abc')).toBe(
      'http://127.0.0.1:8101/content/t1/e1/',
    );
    expect(locations).toEqual([
      { baseUrl: 'http://127.0.0.1:8101/content/t1/e1/', serviceLocation: 'edge-a', priority: 1, edgeId: 'edge-a' },
      { baseUrl: 'http://127.0.0.1:8102/content/t1/e1/', serviceLocation: 'edge-b', priority: 2, edgeId: 'edge-b' },
      { baseUrl: 'http://127.0.0.1:8100/content/t1/e1/', serviceLocation: 'origin', priority: 3, edgeId: null },
    ]);
  });
});

describe('after the manifest came from a lower-ranked place', () => {
  it('the places above it, which did not answer, are tried last', () => {
    expect(demoteUnanswered(locations, 1).map((l) => [l.serviceLocation, l.priority])).toEqual([
      ['edge-b', 1],
      ['origin', 2],
      ['edge-a', 3],
    ]);
    expect(demoteUnanswered(locations, 0)).toEqual(locations);
  });
});

describe('withBaseUrls', () => {
  it('writes one BaseURL per place, in rank order, after ProgramInformation and before the Period', () => {
    const rewritten = withBaseUrls(mpd, locations);

    expect(baseUrlsOf(rewritten)).toEqual([
      { serviceLocation: 'edge-a', priority: 1, url: 'http://127.0.0.1:8101/content/t1/e1/' },
      { serviceLocation: 'edge-b', priority: 2, url: 'http://127.0.0.1:8102/content/t1/e1/' },
      { serviceLocation: 'origin', priority: 3, url: 'http://127.0.0.1:8100/content/t1/e1/' },
    ]);
    const order = ['</ProgramInformation>', '<BaseURL', '<ServiceDescription', '<Period'].map((tag) =>
      rewritten.indexOf(tag),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(rewritten).toMatch(/<MPD [^>]*xmlns:dvb="urn:dvb:dash:dash-extensions:2014-1"[^>]*>/);
    // Everything else is untouched.
    expect(
      rewritten.replace(/\t<BaseURL[^\n]*\n/g, '').replace(' xmlns:dvb="urn:dvb:dash:dash-extensions:2014-1"', ''),
    ).toBe(mpd);
  });

  it('works without ProgramInformation, and replaces the top-level BaseURLs the MPD had', () => {
    const withOwn =
      '<MPD type="static"><BaseURL>http://old.example/</BaseURL><BaseURL/><Period><BaseURL>video/</BaseURL></Period></MPD>';
    const rewritten = withBaseUrls(withOwn, locations.slice(0, 1));

    expect(rewritten).not.toContain('old.example');
    expect(baseUrlsOf(rewritten)).toHaveLength(1);
    expect(rewritten).toContain('<Period><BaseURL>video/</BaseURL></Period>');
    expect(rewritten.indexOf('serviceLocation="edge-a"')).toBeLessThan(rewritten.indexOf('<Period'));
  });

  it('escapes what XML needs escaped, and keeps an xmlns:dvb already there', () => {
    const rewritten = withBaseUrls('<MPD xmlns:dvb="urn:dvb:dash:dash-extensions:2014-1"><Period/></MPD>', [
      { baseUrl: 'http://h/content/a&b/e/', serviceLocation: 'edge<1>', priority: 1, edgeId: 'edge<1>' },
    ]);

    expect(rewritten).toContain('serviceLocation="edge&lt;1&gt;"');
    expect(rewritten).toContain('>http://h/content/a&amp;b/e/</BaseURL>');
    expect(rewritten.match(/xmlns:dvb/g)).toHaveLength(1);
  });

  it('refuses text that is not an MPD', () => {
    expect(() => withBaseUrls('<html>nope</html>', locations)).toThrow(NotAManifest);
  });
});

describe('the plan’s height cap', () => {
  const representations = videoRepresentations(mpd);

  it('reads the video rungs only', () => {
    expect(representations).toEqual([
      { id: '0', bandwidth: 300_000, width: 426, height: 240 },
      { id: '3', bandwidth: 2_500_000, width: 1280, height: 720 },
      { id: '4', bandwidth: 4_500_000, width: 1920, height: 1080 },
    ]);
  });

  it('caps at the bitrate of the tallest rung that fits the plan', () => {
    expect(videoBitrateCapKbps(representations, 720)).toBe(2500);
    expect(videoBitrateCapKbps(representations, 1000)).toBe(2500);
  });

  it('does not cap when every rung fits, or when there is no limit', () => {
    expect(videoBitrateCapKbps(representations, 1080)).toBeNull();
    expect(videoBitrateCapKbps(representations, 2160)).toBeNull();
    expect(videoBitrateCapKbps(representations, null)).toBeNull();
    expect(videoBitrateCapKbps([], 720)).toBeNull();
  });

  it('keeps the lowest rung when none fits', () => {
    expect(videoBitrateCapKbps(representations, 144)).toBe(300);
  });

  it('reads a height given on the AdaptationSet and skips Representations without a bandwidth', () => {
    const single =
      '<MPD><Period><AdaptationSet mimeType="video/mp4" height="480"><Representation id="a" bandwidth="1200000"/><Representation id="b"/></AdaptationSet></Period></MPD>';
    expect(videoRepresentations(single)).toEqual([{ id: 'a', bandwidth: 1_200_000, width: null, height: 480 }]);
  });
});

describe('the content token on requests', () => {
  it('is added to requests for the package on any ranked place, once', () => {
    expect(withContentToken('http://127.0.0.1:8102/content/t1/e1/segment-3-00002.m4s', '123.abc', locations)).toBe(
      'http://127.0.0.1:8102/content/t1/e1/segment-3-00002.m4s?token=123.abc',
    );
    const already = 'http://127.0.0.1:8100/content/t1/e1/init-0.m4s?token=999.zzz';
    expect(withContentToken(already, '123.abc', locations)).toBe(already);
  });

  it('is never sent anywhere else', () => {
    for (const url of [
      'blob:http://127.0.0.1:8080/1234',
      'http://127.0.0.1:8101/content/t2/e1/x.m4s',
      'http://evil.example/content/t1/e1/x',
    ])
      expect(withContentToken(url, '123.abc', locations)).toBe(url);
  });

  it('names the place a request went to', () => {
    expect(locationOf('http://127.0.0.1:8102/content/t1/e1/init-0.m4s?token=1', locations)?.serviceLocation).toBe(
      'edge-b',
    );
    expect(locationOf('http://127.0.0.1:9999/content/t1/e1/init-0.m4s', locations)).toBeUndefined();
  });
});
