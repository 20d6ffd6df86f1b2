import { describe, expect, it } from 'vitest';
import { fetchHlsSprites, hlsSprites, hlsTileAt, imagePlaylistUrl } from '../src/app/watch/hls-thumbnails';

const base = 'http://127.0.0.1:8101/c/abc.def/t1/e1/';

// A master and image playlist as encodePackage wrote them (a 30 s title: 2 s tiles, one sprite),
// copied from an encoder-workers encode test's origin folder.
const packageMaster = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Original audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media-a0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=431729,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",AUDIO="audio"
media-v240.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=831729,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"
media-v360.m3u8

#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=9371,RESOLUTION=160x90,CODECS="jpeg",URI="thumbnails.m3u8"
`;
const packageThumbnails = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:50
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-IMAGES-ONLY
#EXTINF:30.000,
#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=2
thumbnails-1.jpg
#EXT-X-ENDLIST
`;
// The encoder's thumbnailsPlaylist for a 300 s title, 10 s tiles (its unit test): a full sprite of
// 25 tiles, then one of 50 s that fills five.
const twoSprites = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:250
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-IMAGES-ONLY
#EXTINF:250.000,
#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=10
thumbnails-1.jpg
#EXTINF:50.000,
#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=10
thumbnails-2.jpg
#EXT-X-ENDLIST
`;

const tile = (sprite: number, x: number, y: number) => ({
  url: `${base}thumbnails-${sprite}.jpg`,
  x,
  y,
  width: 160,
  height: 90,
});

describe("the master's image stream", () => {
  it('is found relative to the master, the content token kept in its path', () => {
    expect(imagePlaylistUrl(packageMaster, `${base}master.m3u8`)).toBe(`${base}thumbnails.m3u8`);
  });

  it('may name an absolute URI, taken as it is', () => {
    const master = packageMaster.replace('URI="thumbnails.m3u8"', 'URI="https://cdn.example/c/x.y/t1/e1/thumbs.m3u8"');
    expect(imagePlaylistUrl(master, `${base}master.m3u8`)).toBe('https://cdn.example/c/x.y/t1/e1/thumbs.m3u8');
  });

  it('is absent from a master without one: no previews, and nothing is fetched', async () => {
    const master = packageMaster.replace(/^#EXT-X-IMAGE-STREAM-INF:.*$/m, '');
    expect(imagePlaylistUrl(master, `${base}master.m3u8`)).toBeNull();
    const asked: string[] = [];
    const sprites = await fetchHlsSprites(master, `${base}master.m3u8`, async (url) => {
      asked.push(url);
      return { ok: true, text: async () => packageThumbnails };
    });
    expect(sprites).toEqual([]);
    expect(asked).toEqual([]);
    expect(hlsTileAt(sprites, 10)).toBeNull();
  });
});

describe('the image playlist', () => {
  it('lists each sprite where it sits in the title, its URL relative to the playlist', () => {
    expect(hlsSprites(twoSprites, `${base}thumbnails.m3u8`)).toEqual([
      {
        url: `${base}thumbnails-1.jpg`,
        startSeconds: 0,
        durationSeconds: 250,
        columns: 5,
        rows: 5,
        tileWidth: 160,
        tileHeight: 90,
        tileSeconds: 10,
      },
      {
        url: `${base}thumbnails-2.jpg`,
        startSeconds: 250,
        durationSeconds: 50,
        columns: 5,
        rows: 5,
        tileWidth: 160,
        tileHeight: 90,
        tileSeconds: 10,
      },
    ]);
  });

  it('keeps an absolute sprite URI as it is', () => {
    const playlist = twoSprites.replace('\nthumbnails-2.jpg', '\nhttps://cdn.example/sprites/2.jpg');
    expect(hlsSprites(playlist, `${base}thumbnails.m3u8`).map((sprite) => sprite.url)).toEqual([
      `${base}thumbnails-1.jpg`,
      'https://cdn.example/sprites/2.jpg',
    ]);
  });

  it('is not read when it is not an image playlist', () => {
    expect(hlsSprites(twoSprites.replace('#EXT-X-IMAGES-ONLY\n', ''), `${base}thumbnails.m3u8`)).toEqual([]);
  });
});

describe('the tile for a time', () => {
  const sprites = hlsSprites(twoSprites, `${base}thumbnails.m3u8`);

  it('is the first tile of the first sprite at the start', () => {
    expect(hlsTileAt(sprites, 0)).toEqual(tile(1, 0, 0));
  });

  it('is found by column and row inside a sprite', () => {
    // 137 s: the 14th tile (index 13) of 5 × 5: fourth column, third row.
    expect(hlsTileAt(sprites, 137)).toEqual(tile(1, 480, 180));
    expect(hlsTileAt(sprites, 249.9)).toEqual(tile(1, 640, 360));
  });

  it('moves to the next sprite at its start', () => {
    expect(hlsTileAt(sprites, 250)).toEqual(tile(2, 0, 0));
    expect(hlsTileAt(sprites, 272)).toEqual(tile(2, 320, 0));
  });

  it('is the last filled tile at the very end, and none past the end or before the start', () => {
    expect(hlsTileAt(sprites, 300)).toEqual(tile(2, 640, 0));
    expect(hlsTileAt(sprites, 300.5)).toBeNull();
    expect(hlsTileAt(sprites, -1)).toBeNull();
    expect(hlsTileAt(sprites, Number.NaN)).toBeNull();
    expect(hlsTileAt([], 0)).toBeNull();
  });

  it('reads the playlist the encoder writes for a short title', async () => {
    const asked: string[] = [];
    const fetched = await fetchHlsSprites(packageMaster, `${base}master.m3u8`, async (url) => {
      asked.push(url);
      return { ok: true, text: async () => packageThumbnails };
    });
    expect(asked).toEqual([`${base}thumbnails.m3u8`]);
    // 29 s of 2 s tiles: the 15th and last (index 14), fifth column, third row; the end shows it too.
    expect(hlsTileAt(fetched, 29)).toEqual(tile(1, 640, 180));
    expect(hlsTileAt(fetched, 30)).toEqual(tile(1, 640, 180));
    expect(hlsTileAt(fetched, 31)).toBeNull();
  });

  it('gives none when the image playlist does not come', async () => {
    const refused = await fetchHlsSprites(packageMaster, `${base}master.m3u8`, async () => ({
      ok: false,
      text: async () => 'forbidden',
    }));
    const failed = await fetchHlsSprites(packageMaster, `${base}master.m3u8`, async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(refused).toEqual([]);
    expect(failed).toEqual([]);
  });
});
