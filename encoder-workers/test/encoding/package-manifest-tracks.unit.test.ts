import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  adaptationSetsOf,
  captionsPlaylist,
  labelAudioSets,
  replaceAdaptationSets,
  thumbnailsPlaylist,
  withCaptionAndThumbnailSets,
  withMasterTracks,
} from '../../src/encoding/package-manifest-tracks';
import { audioRenditions } from '../../src/encoding/package-tracks';
import { measureBitRates } from '../../src/encoding/segment-bit-rates';

// The layout ffmpeg 5.1's DASH muxer writes, after the package's renames (see package-names.int.test.ts).
const audioSet = (
  id: string,
  lang: string,
) => `\t\t<AdaptationSet id="9" contentType="audio" startWithSAP="1" lang="${lang}">
\t\t\t<Representation id="${id}" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="128000" audioSamplingRate="44100">
\t\t\t\t<SegmentTemplate timescale="44100" initialization="init-$RepresentationID$.m4s" media="segment-$RepresentationID$-$Number%05d$.m4s" startNumber="1"/>
\t\t\t</Representation>
\t\t</AdaptationSet>
`;
const mpd = `<?xml version="1.0" encoding="utf-8"?>
<MPD type="static" mediaPresentationDuration="PT8.0S">
\t<Period id="0" start="PT0.0S">
\t\t<AdaptationSet id="0" contentType="video" maxWidth="640" maxHeight="360">
\t\t\t<Representation id="v360" mimeType="video/mp4" width="640" height="360"/>
\t\t</AdaptationSet>
${audioSet('a0', 'en')}${audioSet('a1', 'fr')}\t</Period>
</MPD>
`;
const master = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_1",DEFAULT=YES,URI="media-a0.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_2",DEFAULT=NO,URI="media-a1.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=831729,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="group_A1"
media-v360.m3u8

`;

/** Bit rates as measureBitRates gives them, by media playlist. */
const rates = (entries: Record<string, number>) =>
  new Map(Object.entries(entries).map(([file, peak]) => [file, { peak, average: peak - 10000 }]));
const bitRates = rates({ 'media-v360.m3u8': 700000, 'media-a0.m3u8': 128000, 'media-a1.m3u8': 120000 });

const renditions = audioRenditions([
  { id: 'a0', language: 'en', trackId: null },
  { id: 'a1', language: 'fr', trackId: 'dub-fr' },
]);
const grid = { intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 };
const sideTracks = {
  captions: [
    { language: 'en', name: 'English', bandwidth: 300 },
    { language: 'pt-BR', name: 'Brazilian Portuguese', bandwidth: 280 },
  ],
  thumbnails: { grid, bandwidth: 9000 },
};

const tagsOf = (text: string) =>
  adaptationSetsOf(text).map((set) => `${set.contentType} ${set.representationIds.join(',')} ${set.attributes.trim()}`);

describe('the manifest says each track', () => {
  it('labels each audio set by its language, with a Role (main first, dub after), in track order', () => {
    const labelled = labelAudioSets(mpd, renditions.toReversed());
    const sets = adaptationSetsOf(labelled);
    expect(sets.map((set) => set.representationIds)).toEqual([['v360'], ['a1'], ['a0']]);
    expect(sets[1]?.text).toContain('lang="fr"');
    expect(sets[1]?.text).toContain('<Label>French</Label>');
    expect(sets[1]?.text).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="dub"/>');
    expect(sets[2]?.text).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>');
    // Labelling again replaces, never adds.
    expect(labelAudioSets(labelled, renditions.toReversed())).toBe(labelled);
    expect(sets.map((set) => /\sid="(\d+)"/.exec(set.attributes)?.[1])).toEqual(['0', '1', '2']);
  });

  it('refuses a track the manifest has no set for', () => {
    expect(() => labelAudioSets(mpd, [...renditions, { ...renditions[0], id: 'a7' } as never])).toThrow(
      /no audio Representation a7/,
    );
  });

  it('adds a text set per caption language and a DASH-IF thumbnail set, replacing any there were', () => {
    const once = withCaptionAndThumbnailSets(labelAudioSets(mpd, renditions), sideTracks);
    expect(tagsOf(once).slice(3)).toEqual([
      'text captions-en id="3" contentType="text" mimeType="text/vtt" lang="en"',
      'text captions-pt-BR id="4" contentType="text" mimeType="text/vtt" lang="pt-BR"',
      'image thumbnails id="5" contentType="image" mimeType="image/jpeg"',
    ]);
    expect(once).toContain('<BaseURL>captions-pt-BR.vtt</BaseURL>');
    expect(once).toContain('<Label>Brazilian Portuguese</Label>');
    expect(once).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>');
    expect(once).toContain(
      '<SegmentTemplate media="thumbnails-$Number$.jpg" timescale="1" duration="250" startNumber="1"/>',
    );
    expect(once).toContain('<Representation id="thumbnails" bandwidth="9000" width="800" height="450">');
    expect(once).toContain('<EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="5x5"/>');
    expect(once).toMatch(/<\/AdaptationSet>\n\t<\/Period>\n<\/MPD>\n$/);

    const replaced = withCaptionAndThumbnailSets(once, {
      captions: [sideTracks.captions[0] as never],
      thumbnails: null,
    });
    expect(tagsOf(replaced).map((tag) => tag.split(' ')[1])).toEqual(['v360', 'a0', 'a1', 'captions-en']);
  });

  it('drops and adds audio sets for a revision, keeping the rest as it was', () => {
    const revised = replaceAdaptationSets(mpd, (set) => set.representationIds.includes('a1'), [audioSet('a2', 'de')]);
    expect(tagsOf(revised).map((tag) => tag.split(' ').slice(0, 2).join(' '))).toEqual([
      'video v360',
      'audio a0',
      'audio a2',
    ]);
    expect(revised.startsWith(mpd.slice(0, mpd.indexOf('<AdaptationSet')))).toBe(true);
  });
});

describe('the HLS master says each track', () => {
  it('names audio renditions by language in one group, subtitles in another, every variant naming both, and the sprites', () => {
    const written = withMasterTracks(master, { audio: renditions, ...sideTracks, bitRates });
    expect(written).toBe(`#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media-a0.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="media-a1.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="captions-en.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Brazilian Portuguese",LANGUAGE="pt-BR",DEFAULT=NO,AUTOSELECT=YES,URI="captions-pt-BR.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=828000,AVERAGE-BANDWIDTH=808000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio",SUBTITLES="subs"
media-v360.m3u8

#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=9000,RESOLUTION=160x90,CODECS="jpeg",URI="thumbnails.m3u8"
`);
    // A revision rewrites it from its base: the same tracks give the same text.
    expect(withMasterTracks(written, { audio: renditions, ...sideTracks, bitRates })).toBe(written);
    const without = withMasterTracks(written, {
      audio: renditions.slice(0, 1),
      captions: [],
      thumbnails: null,
      bitRates,
    });
    expect(without).not.toMatch(/SUBTITLES|IMAGE|media-a1/);
  });

  it('lets a player choosing by language pick one audio rendition of each language, and never turns captions on itself', () => {
    const tracks = audioRenditions([
      { id: 'a0', language: 'fr', trackId: null },
      { id: 'a1', language: null, trackId: null },
      { id: 'a2', language: null, trackId: null },
      { id: 'a3', language: 'en', trackId: 'dub-en' },
      { id: 'a4', language: 'fr', trackId: 'dub-fr' },
    ]);
    const everyTrack = rates(
      Object.fromEntries([['media-v360.m3u8', 700000], ...tracks.map((track) => [`media-${track.id}.m3u8`, 128000])]),
    );
    const media = withMasterTracks(master, { audio: tracks, ...sideTracks, bitRates: everyTrack })
      .split('\n')
      .filter((line) => line.startsWith('#EXT-X-MEDIA:'))
      .map((line) => /NAME="([^"]*)".*DEFAULT=(\w+),AUTOSELECT=(\w+)/.exec(line)?.slice(1).join(' '));
    expect(media).toEqual([
      'French YES YES',
      'Original audio NO YES',
      'Original audio 2 NO NO',
      'English NO YES',
      'French 2 NO NO',
      'English NO YES',
      'Brazilian Portuguese NO YES',
    ]);
  });

  it('gives every variant the peak and average bit rates of the segments written: its video plus the most demanding audio', async () => {
    // Segments of 4 s: the video's second is lighter than its first and its last is a few frames,
    // whose box headers outweigh their media; the two audio renditions at different bit rates.
    const target = 4;
    const playlist = (id: string, seconds: readonly number[]) =>
      [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        `#EXT-X-TARGETDURATION:${target}`,
        `#EXT-X-MAP:URI="init-${id}.m4s"`,
        ...seconds.flatMap((length, index) => [`#EXTINF:${length.toFixed(6)},`, `segment-${id}-0000${index + 1}.m4s`]),
        '#EXT-X-ENDLIST',
        '',
      ].join('\n');
    const segments = {
      v360: [
        [4, 400_000],
        [4, 200_000],
        [0.04, 5_000],
      ],
      a0: [
        [4, 48_000],
        [4, 40_000],
      ],
      a1: [
        [4, 80_000],
        [4, 64_000],
      ],
    } as const;
    // Sparse: only their sizes are read.
    const fileOf = async (path: string, bytes: number) => {
      await writeFile(path, '');
      await truncate(path, bytes);
    };
    const dir = await mkdtemp(join(tmpdir(), 'segment-bit-rates-'));
    try {
      const playlists: Record<string, string> = {};
      for (const [id, sizes] of Object.entries(segments)) {
        playlists[`media-${id}.m3u8`] = playlist(
          id,
          sizes.map(([seconds]) => seconds),
        );
        // The init segment is no media segment: its weight is not counted.
        await fileOf(join(dir, `init-${id}.m4s`), 1_000_000);
        for (const [index, [, bytes]] of sizes.entries())
          await fileOf(join(dir, `segment-${id}-0000${index + 1}.m4s`), bytes);
      }
      const measured = await measureBitRates(dir, playlists);
      // 400 kB in 4 s; the last 0.04 s (1 Mbit/s alone) counted with the 4 s before it. The average: 605 kB in 8.04 s.
      expect(measured.get('media-v360.m3u8')).toEqual({ peak: 800_000, average: 601_991 });
      expect(measured.get('media-a0.m3u8')).toEqual({ peak: 96_000, average: 88_000 });
      expect(measured.get('media-a1.m3u8')).toEqual({ peak: 160_000, average: 144_000 });

      const written = withMasterTracks(master, {
        audio: renditions,
        captions: [],
        thumbnails: null,
        bitRates: measured,
      });
      expect(written).toContain(
        '#EXT-X-STREAM-INF:BANDWIDTH=960000,AVERAGE-BANDWIDTH=745991,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"\n',
      );

      await rm(join(dir, 'segment-a1-00002.m4s'));
      await expect(measureBitRates(dir, playlists)).rejects.toThrow(
        'media-a1.m3u8 names segment-a1-00002.m4s, which is not in the package',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts the audio a revision gives a silent title in its variants, and adds the average ffmpeg left out', () => {
    const silent =
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=700000,RESOLUTION=640x360,CODECS="avc1.64001e"\nmedia-v360.m3u8\n';
    const withNone = withMasterTracks(silent, { audio: [], captions: [], thumbnails: null, bitRates });
    expect(withNone).toContain('BANDWIDTH=700000,AVERAGE-BANDWIDTH=690000,RESOLUTION=640x360,CODECS="avc1.64001e"\n');
    const revised = withMasterTracks(withNone, {
      audio: renditions.slice(0, 1),
      captions: [],
      thumbnails: null,
      bitRates,
    });
    expect(revised).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=828000,AVERAGE-BANDWIDTH=808000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"\n',
    );
  });

  it('refuses a variant or a rendition whose segments were not measured', () => {
    const tracks = { audio: renditions, captions: [], thumbnails: null };
    const withoutFrench = new Map([...bitRates].filter(([file]) => file !== 'media-a1.m3u8'));
    expect(() => withMasterTracks(master, { ...tracks, bitRates: withoutFrench })).toThrow(
      'the segments of media-a1.m3u8 were not measured',
    );
    expect(() => withMasterTracks(master.replace('media-v360', 'media-v720'), { ...tracks, bitRates })).toThrow(
      'the segments of media-v720.m3u8 were not measured',
    );
  });
});

describe('the side playlists', () => {
  it('serves captions as one WebVTT segment as long as the title', () => {
    expect(captionsPlaylist('pt-BR', 61.5)).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:62\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:61.500,\ncaptions-pt-BR.vtt\n#EXT-X-ENDLIST\n',
    );
  });

  it('lists the sprites as an image playlist, each covering its tiles, the last one the rest of the title', () => {
    const playlist = thumbnailsPlaylist(grid, 2, 300);
    expect(playlist).toContain('#EXT-X-IMAGES-ONLY\n');
    expect(playlist).toContain('#EXT-X-TARGETDURATION:250\n');
    expect(playlist.split('\n').filter((line) => /^(#EXTINF|#EXT-X-TILES|thumbnails-)/.test(line))).toEqual([
      '#EXTINF:250.000,',
      '#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=10',
      'thumbnails-1.jpg',
      '#EXTINF:50.000,',
      '#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=10',
      'thumbnails-2.jpg',
    ]);
    expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
  });
});
