import { describe, expect, it } from 'vitest';
import { rewriteDashManifest } from '../src/dash-manifest-rewrite';
import { rewriteHlsMaster } from '../src/hls-master-rewrite';
import { storedMaster, storedMasterWithTracks, storedMpd, storedMpdWithTracks } from './manifest-fixtures';

const steeringUrl = 'http://127.0.0.1:4002/steering/TOKEN/t1/e1';
const bases = {
  'edge-eu': 'http://eu.example:8101/c/TOKEN/t1/e1/',
  origin: 'http://origin.example:8100/c/TOKEN/t1/e1/',
};

describe('the DASH manifest a session is served', () => {
  const dash = (maxHeight: number | null) =>
    rewriteDashManifest(storedMpd, {
      maxHeight,
      baseUrls: Object.entries(bases).map(([serviceLocation, url]) => ({ serviceLocation, url })),
      steering: { url: steeringUrl, defaultServiceLocation: 'edge-eu' },
    });
  const representationIds = (mpd: string) => [...mpd.matchAll(/<Representation id="([^"]+)"/g)].map((m) => m[1]);

  it('lists no video rung above the cap, and says so in the adaptation set', () => {
    const mpd = dash(720);
    expect(representationIds(mpd)).toEqual(['v240', 'v720', 'a0']);
    expect(mpd).toMatch(/<AdaptationSet id="0"[^>]* maxWidth="1280" maxHeight="720"/);
    expect(mpd).not.toMatch(/1080|segment-v1080/);
    expect(representationIds(dash(null))).toEqual(['v240', 'v720', 'v1080', 'a0']);
    expect(representationIds(dash(240))).toEqual(['v240', 'a0']);
  });
  it('names every pathway as an absolute BaseURL, and the steering server with this node as default', () => {
    const mpd = dash(1080);
    expect(
      [...mpd.matchAll(/<BaseURL serviceLocation="([^"]+)">([^<]+)<\/BaseURL>/g)].map((m) => [m[1], m[2]]),
    ).toEqual(Object.entries(bases));
    expect(mpd).toContain(
      `<ContentSteering defaultServiceLocation="edge-eu" queryBeforeStart="false">${steeringUrl}</ContentSteering>`,
    );
    // MPD level: after ProgramInformation and before the first Period, as the schema orders them.
    const at = (text: string) => mpd.indexOf(text);
    expect(at('</ProgramInformation>')).toBeLessThan(at('<BaseURL'));
    expect(at('<ContentSteering')).toBeLessThan(at('<Period'));
    // Everything else is as stored.
    expect(mpd.replace(/\t<BaseURL.*\n|\t<ContentSteering.*\n/g, '')).toBe(storedMpd);
  });
  it('replaces what a stored manifest already said about BaseURLs and steering, and escapes XML', () => {
    const once = dash(720);
    const twice = rewriteDashManifest(once, {
      maxHeight: 720,
      baseUrls: [{ serviceLocation: 'a&b', url: 'http://x.example/c/T/t1/e1/?q=1&r=2' }],
      steering: { url: 'http://s.example/steering?a=1&b=2', defaultServiceLocation: 'a&b' },
    });
    expect(twice.match(/<BaseURL/g)).toHaveLength(1);
    expect(twice.match(/<ContentSteering/g)).toHaveLength(1);
    expect(twice).toContain('serviceLocation="a&amp;b">http://x.example/c/T/t1/e1/?q=1&amp;r=2</BaseURL>');
    expect(twice).toContain('>http://s.example/steering?a=1&amp;b=2</ContentSteering>');
  });
  it('drops an adaptation set left with no representation, and keeps a Representation-level BaseURL', () => {
    const tiny = `<?xml version="1.0"?>
<MPD type="static"><Period><AdaptationSet id="0" contentType="video"><Representation id="v1080" height="1080" width="1920"><BaseURL>v/</BaseURL></Representation></AdaptationSet><AdaptationSet id="1"><Representation id="a0"/></AdaptationSet></Period></MPD>`;
    const mpd = rewriteDashManifest(tiny, {
      maxHeight: 720,
      baseUrls: [{ serviceLocation: 'origin', url: bases.origin }],
      steering: { url: steeringUrl, defaultServiceLocation: 'origin' },
    });
    expect(mpd).not.toContain('AdaptationSet id="0"');
    expect(mpd).toContain('<Representation id="a0"/>');
    expect(mpd.indexOf('<BaseURL serviceLocation="origin">')).toBeLessThan(mpd.indexOf('<Period'));
  });
});

describe('the DASH manifest of a package with audio tracks, captions and seek previews', () => {
  const dash = (maxHeight: number | null) =>
    rewriteDashManifest(storedMpdWithTracks, {
      maxHeight,
      baseUrls: Object.entries(bases).map(([serviceLocation, url]) => ({ serviceLocation, url })),
      steering: { url: steeringUrl, defaultServiceLocation: 'edge-eu' },
    });
  const sets = (mpd: string) =>
    [...mpd.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map((m) => ({
      kind: /contentType="([^"]+)"/.exec(m[1] ?? '')?.[1],
      lang: /lang="([^"]+)"/.exec(m[1] ?? '')?.[1],
      representations: [...(m[2] ?? '').matchAll(/<Representation id="([^"]+)"/g)].map((r) => r[1]),
    }));

  it('caps the video rungs only: every audio, text and image set stays, the sprite taller than the cap included', () => {
    expect(sets(dash(240))).toEqual([
      { kind: 'video', lang: undefined, representations: ['v240'] },
      { kind: 'audio', lang: 'en', representations: ['a0'] },
      { kind: 'audio', lang: 'fr', representations: ['a1'] },
      { kind: 'text', lang: 'en', representations: ['captions-en'] },
      { kind: 'text', lang: 'fr', representations: ['captions-fr'] },
      { kind: 'image', lang: undefined, representations: ['thumbnails'] },
    ]);
  });
  it('keeps everything but the video rungs byte for byte: roles, labels, sidecar BaseURLs, the thumbnail template', () => {
    const mpd = dash(720);
    const stored = storedMpdWithTracks;
    const from = (text: string, start: string) => text.slice(text.indexOf(start), text.indexOf('</Period>'));
    expect(from(mpd, '<AdaptationSet id="1"')).toBe(from(stored, '<AdaptationSet id="1"'));
    expect(mpd).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="dub"/>');
    expect(mpd).toContain('<Label>French</Label>');
    // Relative: it resolves against the pathway's BaseURL, which carries the session's token.
    expect(mpd).toContain('<BaseURL>captions-fr.vtt</BaseURL>');
    expect(mpd).toContain('media="thumbnails-$Number$.jpg"');
    expect(mpd).toContain('<EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="5x4"/>');
    expect(mpd.match(/<BaseURL serviceLocation=/g)).toHaveLength(2);
    expect(mpd).not.toContain('v1080');
  });
});

describe('the HLS master playlist a session is served', () => {
  const hls = (maxHeight: number | null) =>
    rewriteHlsMaster(storedMaster, {
      maxHeight,
      pathways: Object.entries(bases).map(([id, base]) => ({ id, base })),
      steering: { url: steeringUrl, pathwayId: 'edge-eu' },
    });
  const variants = (playlist: string) => {
    const lines = playlist.split('\n');
    return lines.flatMap((line, i) =>
      line.startsWith('#EXT-X-STREAM-INF:') ? [{ tag: line, uri: lines[i + 1] }] : [],
    );
  };

  it('lists no variant above the cap', () => {
    const playlist = hls(720);
    expect(variants(playlist).map((v) => /RESOLUTION=(\d+x\d+)/.exec(v.tag)?.[1])).toEqual([
      '426x240',
      '1280x720',
      '426x240',
      '1280x720',
    ]);
    expect(playlist).not.toMatch(/1080/);
    expect(variants(hls(null))).toHaveLength(6);
  });
  it('repeats every variant and audio rendition per pathway, each with its own audio group and absolute URIs', () => {
    const playlist = hls(720);
    expect(playlist.startsWith('#EXTM3U\n#EXT-X-VERSION:7\n')).toBe(true);
    expect(playlist).toContain(`#EXT-X-CONTENT-STEERING:SERVER-URI="${steeringUrl}",PATHWAY-ID="edge-eu"`);
    const media = playlist.split('\n').filter((line) => line.startsWith('#EXT-X-MEDIA:'));
    expect(media).toEqual([
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1-edge-eu",NAME="audio_0",DEFAULT=YES,URI="${bases['edge-eu']}media-a0.m3u8",PATHWAY-ID="edge-eu",STABLE-RENDITION-ID="a0"`,
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1-origin",NAME="audio_0",DEFAULT=YES,URI="${bases.origin}media-a0.m3u8",PATHWAY-ID="origin",STABLE-RENDITION-ID="a0"`,
    ]);
    const [first, , third] = variants(playlist);
    expect(first).toEqual({
      tag: '#EXT-X-STREAM-INF:BANDWIDTH=401130,RESOLUTION=426x240,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="group_A1-edge-eu",PATHWAY-ID="edge-eu",STABLE-VARIANT-ID="v240"',
      uri: `${bases['edge-eu']}media-v240.m3u8`,
    });
    expect(third?.tag).toMatch(/AUDIO="group_A1-origin",PATHWAY-ID="origin"/);
    expect(third?.uri).toBe(`${bases.origin}media-v240.m3u8`);
  });
  it('writes its own steering tag over a stored one, and leaves out a pathway id HLS cannot carry', () => {
    const playlist = rewriteHlsMaster(hls(720), {
      maxHeight: 720,
      pathways: [
        { id: 'bad"id', base: 'http://bad.example/c/T/t1/e1/' },
        { id: 'origin', base: bases.origin },
      ],
      steering: { url: steeringUrl, pathwayId: 'origin' },
    });
    expect(playlist.match(/#EXT-X-CONTENT-STEERING/g)).toHaveLength(1);
    expect(playlist).not.toContain('bad.example');
  });
});

describe('the HLS master playlist of a package with audio tracks, captions and seek previews', () => {
  const hls = (maxHeight: number | null) =>
    rewriteHlsMaster(storedMasterWithTracks, {
      maxHeight,
      pathways: Object.entries(bases).map(([id, base]) => ({ id, base })),
      steering: { url: steeringUrl, pathwayId: 'edge-eu' },
    });

  it('repeats every audio and subtitles rendition per pathway, languages and defaults as stored', () => {
    const media = hls(720)
      .split('\n')
      .filter((line) => line.startsWith('#EXT-X-MEDIA:'));
    expect(media).toHaveLength(8);
    expect(media[0]).toBe(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio-edge-eu",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="${bases['edge-eu']}media-a0.m3u8",PATHWAY-ID="edge-eu",STABLE-RENDITION-ID="a0"`,
    );
    expect(media[3]).toBe(
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs-edge-eu",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,URI="${bases['edge-eu']}captions-fr.m3u8",PATHWAY-ID="edge-eu",STABLE-RENDITION-ID="captions-fr"`,
    );
    expect(media.slice(4).map((line) => /GROUP-ID="([^"]+)".*LANGUAGE="([^"]+)"/.exec(line)?.slice(1))).toEqual([
      ['audio-origin', 'en'],
      ['audio-origin', 'fr'],
      ['subs-origin', 'en'],
      ['subs-origin', 'fr'],
    ]);
  });
  it("points each variant at its own pathway's audio and subtitles groups", () => {
    const variants = hls(720)
      .split('\n')
      .filter((line) => line.startsWith('#EXT-X-STREAM-INF:'));
    expect(
      variants.map((line) => /AUDIO="([^"]+)",SUBTITLES="([^"]+)",PATHWAY-ID="([^"]+)"/.exec(line)?.slice(1)),
    ).toEqual([
      ['audio-edge-eu', 'subs-edge-eu', 'edge-eu'],
      ['audio-edge-eu', 'subs-edge-eu', 'edge-eu'],
      ['audio-origin', 'subs-origin', 'origin'],
      ['audio-origin', 'subs-origin', 'origin'],
    ]);
  });
  it('lists the seek-preview image stream once, after the variants, with its relative URI (the token is in the master URL)', () => {
    const playlist = hls(240);
    const lines = playlist.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('#EXT-X-IMAGE-STREAM-INF:'))).toEqual([
      '#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=12288,RESOLUTION=800x360,CODECS="jpeg",URI="thumbnails.m3u8"',
    ]);
    expect(lines.at(-1)).toMatch(/^#EXT-X-IMAGE-STREAM-INF:/);
    const master = `${bases['edge-eu']}master.m3u8`;
    expect(new URL('thumbnails.m3u8', master).href).toBe(`${bases['edge-eu']}thumbnails.m3u8`);
    expect(lines).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
  });
});
