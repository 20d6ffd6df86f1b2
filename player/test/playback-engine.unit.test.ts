import { afterEach, describe, expect, it, vi } from 'vitest';
import { hlsVariants, variantKbps } from '../src/app/watch/hls-master';
import { engineSupportOf, pickEngine } from '../src/app/watch/playback-engine';

describe('the engine a browser plays with', () => {
  it('is dash.js wherever Media Source Extensions exist, even where HLS plays natively (desktop Safari)', () => {
    expect(pickEngine({ mediaSource: true, nativeHls: false })).toBe('dash');
    expect(pickEngine({ mediaSource: true, nativeHls: true })).toBe('dash');
  });

  it('is the browser’s own HLS where there is no MSE but HLS plays (Safari on iPhone)', () => {
    expect(pickEngine({ mediaSource: false, nativeHls: true })).toBe('hls');
  });

  it('is none where neither plays', () => {
    expect(pickEngine({ mediaSource: false, nativeHls: false })).toBeNull();
  });
});

describe("a browser's support", () => {
  afterEach(() => vi.unstubAllGlobals());
  const safariVideo = { canPlayType: (type: string) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : '') };
  const chromeVideo = { canPlayType: () => '' };

  it('is read from MediaSource and what the video element says it plays', () => {
    vi.stubGlobal('MediaSource', undefined);
    expect(engineSupportOf(safariVideo)).toEqual({ mediaSource: false, nativeHls: true });
    vi.stubGlobal('MediaSource', class {});
    expect(engineSupportOf(chromeVideo)).toEqual({ mediaSource: true, nativeHls: false });
  });
});

const master = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-CONTENT-STEERING:SERVER-URI="http://127.0.0.1:4002/steering/tok/t1/e1",PATHWAY-ID="edge-a"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio-edge-a",NAME="und",DEFAULT=YES,URI="http://127.0.0.1:8101/c/tok/t1/e1/media-a0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=450000,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",AUDIO="audio-edge-a",PATHWAY-ID="edge-a"
http://127.0.0.1:8101/c/tok/t1/e1/media-v240.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2800000,AVERAGE-BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="audio-edge-a",PATHWAY-ID="edge-a"
http://127.0.0.1:8101/c/tok/t1/e1/media-v720.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=450000,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",AUDIO="audio-origin",PATHWAY-ID="origin"
http://127.0.0.1:8100/c/tok/t1/e1/media-v240.m3u8
`;

describe('the HLS master, as the native player is given it', () => {
  it('tells the bitrate of the height the video shows (the native player only says the height)', () => {
    const variants = hlsVariants(master);
    expect(variants).toEqual([
      { bandwidth: 450000, height: 240 },
      { bandwidth: 2500000, height: 720 },
      { bandwidth: 450000, height: 240 },
    ]);
    expect(variantKbps(variants, 720)).toBe(2500);
    expect(variantKbps(variants, 1080)).toBeNull();
  });
});
