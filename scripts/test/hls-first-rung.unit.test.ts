import { describe, expect, it } from 'vitest';
import { firstVariant, leadingSegments } from '../hls-first-rung';

// As the encoder writes them (ffmpeg dashenc with hls_playlist), audio rendition first.
const master = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_0",DEFAULT=YES,URI="media-a0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=401130,RESOLUTION=426x240,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="group_A1"
media-v240.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=1601130,RESOLUTION=1280x720,CODECS="avc1.42c01f,mp4a.40.2",AUDIO="group_A1"
media-v720.m3u8
`;

const media = `#EXTM3U\r
#EXT-X-VERSION:6\r
#EXT-X-TARGETDURATION:2\r
#EXT-X-MEDIA-SEQUENCE:1\r
#EXT-X-MAP:URI="init-v240.m4s"\r
#EXTINF:2.000000,\r
segment-v240-00001.m4s\r
#EXTINF:2.000000,\r
segment-v240-00002.m4s\r
#EXTINF:1.500000,\r
segment-v240-00003.m4s\r
#EXT-X-ENDLIST\r
`;

describe('the start of the first rung, read from HLS playlists', () => {
  it("finds the master's first variant, not its audio rendition", () => {
    expect(firstVariant(master)).toBe('media-v240.m3u8');
    expect(firstVariant('#EXTM3U\n')).toBeUndefined();
  });

  it('takes the init segment and the first segments with their seconds', () => {
    expect(leadingSegments(media, 2)).toEqual({
      init: 'init-v240.m4s',
      segments: ['segment-v240-00001.m4s', 'segment-v240-00002.m4s'],
      seconds: 4,
    });
    expect(leadingSegments(media, 10)).toMatchObject({ segments: { length: 3 }, seconds: 5.5 });
    expect(leadingSegments('#EXTM3U\n#EXTINF:1,\na.ts\n', 1)).toEqual({ segments: ['a.ts'], seconds: 1 });
  });
});
