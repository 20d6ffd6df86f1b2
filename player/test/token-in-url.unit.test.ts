import { describe, expect, it } from 'vitest';
import { placeOf, placesOf } from '../src/app/watch/places';
import { contentTokenOf, hideContentTokens, packageKeyOf, withContentToken } from '../src/app/watch/token-in-url';

const oldToken = 'eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const newToken = 'eyJ4IjoyfQ.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

describe('the content token in a URL path', () => {
  it('is swapped for the fresh one in every file of the package, query and all kept', () => {
    expect(withContentToken(`http://127.0.0.1:8101/c/${oldToken}/t1/e1/segment-v720-00003.m4s`, newToken)).toBe(
      `http://127.0.0.1:8101/c/${newToken}/t1/e1/segment-v720-00003.m4s`,
    );
    expect(
      withContentToken(
        `http://127.0.0.1:8100/c/${oldToken}/t1/e1/init-a0.m4s?CMCD=sid%3D%22s1%22%2Cbl%3D4000`,
        newToken,
      ),
    ).toBe(`http://127.0.0.1:8100/c/${newToken}/t1/e1/init-a0.m4s?CMCD=sid%3D%22s1%22%2Cbl%3D4000`);
  });

  it('is found behind a place that has a path of its own', () => {
    expect(withContentToken(`https://cdn.example/eu/c/${oldToken}/t1/e1/manifest.mpd`, newToken)).toBe(
      `https://cdn.example/eu/c/${newToken}/t1/e1/manifest.mpd`,
    );
  });

  it('leaves every other URL alone: the steering server, other sites, a /c/ path without a token', () => {
    const untouched = [
      `http://127.0.0.1:4002/steering/${oldToken}/t1/e1?_DASH_pathway=%22edge-a%22`,
      'http://elsewhere.example/seg.m4s',
      'http://127.0.0.1:8101/c/not-a-token/t1/e1/seg.m4s',
      `http://127.0.0.1:8101/c/${oldToken}/t1/seg.m4s`,
    ];
    for (const url of untouched) expect(withContentToken(url, newToken)).toBe(url);
  });

  it('is hidden from what the page shows', () => {
    expect(
      hideContentTokens(`27 http://127.0.0.1:9102/c/${oldToken}/t1/e1/segment-v720-00021.m4s is not available`),
    ).toBe('27 http://127.0.0.1:9102/c/…/t1/e1/segment-v720-00021.m4s is not available');
  });

  it('is read from a URL, or null', () => {
    expect(contentTokenOf(`http://127.0.0.1:8101/c/${oldToken}/t1/e1/manifest.mpd`)).toBe(oldToken);
    expect(contentTokenOf('http://127.0.0.1:8101/content/t1/e1/manifest.mpd?token=x.y')).toBeNull();
  });

  it('does not count in which package a URL points into: every token of one place gives the same key', () => {
    const before = packageKeyOf(`http://127.0.0.1:8101/c/${oldToken}/t1/e1/segment-v240-00001.m4s`);
    expect(before).toBe(packageKeyOf(`HTTP://127.0.0.1:8101/c/${newToken}/t1/e1/manifest.mpd`));
    expect(before).not.toBe(packageKeyOf(`http://127.0.0.1:8102/c/${oldToken}/t1/e1/segment-v240-00001.m4s`));
    expect(before).not.toBe(packageKeyOf(`http://127.0.0.1:8101/c/${oldToken}/t1/e2/segment-v240-00001.m4s`));
    expect(packageKeyOf('http://127.0.0.1:8101/posters/t1/e1/poster.jpg')).toBeNull();
  });
});

const manifestsFor = (token: string) =>
  [
    { edgeId: 'edge-a', region: 'eu', base: 'http://127.0.0.1:8101' },
    { edgeId: 'edge-b', region: 'us', base: 'http://127.0.0.1:8102' },
    { edgeId: null, region: null, base: 'http://127.0.0.1:8100' },
  ].map(({ edgeId, region, base }) => ({
    edgeId,
    region,
    dash: `${base}/c/${token}/t1/e1/manifest.mpd`,
    hls: `${base}/c/${token}/t1/e1/master.m3u8`,
  }));

describe('the pathway of a request', () => {
  const places = placesOf(manifestsFor(oldToken));

  it('names edges by their id and the origin "origin", in the rank POST /playback gave', () => {
    expect(places.map((place) => [place.serviceLocation, place.edgeId])).toEqual([
      ['edge-a', 'edge-a'],
      ['edge-b', 'edge-b'],
      ['origin', null],
    ]);
  });

  it('is the place whose package the URL points into, with the token it was fetched with or a renewed one', () => {
    expect(placeOf({ url: `http://127.0.0.1:8102/c/${oldToken}/t1/e1/segment-v720-00009.m4s` }, places)?.edgeId).toBe(
      'edge-b',
    );
    expect(
      placeOf({ url: `http://127.0.0.1:8100/c/${newToken}/t1/e1/segment-v720-00009.m4s?CMCD=x` }, places)
        ?.serviceLocation,
    ).toBe('origin');
    expect(placeOf({ url: `http://127.0.0.1:8103/c/${oldToken}/t1/e1/seg.m4s` }, places)).toBeUndefined();
    expect(placeOf({ url: `http://127.0.0.1:4002/steering/${oldToken}/t1/e1` }, places)).toBeUndefined();
  });

  it('is the serviceLocation dash.js chose the BaseURL by, when it says', () => {
    // The origin's URL as its own config spells it may differ from the command API's spelling.
    expect(
      placeOf({ url: `http://localhost:8100/c/${oldToken}/t1/e1/seg.m4s`, serviceLocation: 'origin' }, places)?.edgeId,
    ).toBeNull();
    expect(
      placeOf({ url: `http://127.0.0.1:8101/c/${oldToken}/t1/e1/seg.m4s`, serviceLocation: 'edge-z' }, places)?.edgeId,
    ).toBe('edge-a');
  });
});
