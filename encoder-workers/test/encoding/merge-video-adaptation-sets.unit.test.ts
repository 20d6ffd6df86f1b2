import { describe, expect, it } from 'vitest';
import { mergeVideoAdaptationSets } from '../../src/encoding/merge-video-adaptation-sets';
import { UnexpectedPackage } from '../../src/encoding/unexpected-package';

// The shape ffmpeg writes (see package-names.int.test.ts for the real thing).
const set = (id: number, type: string, extra: string, representations: string[]) =>
  `\t\t<AdaptationSet id="${id}" contentType="${type}"${extra}>\n${representations
    .map((rep) => `\t\t\t<Representation ${rep}>\n\t\t\t\t<SegmentTemplate />\n\t\t\t</Representation>\n`)
    .join('')}\t\t</AdaptationSet>\n`;
const mpd = (...sets: string[]) =>
  `<?xml version="1.0"?>\n<MPD>\n\t<Period id="0">\n${sets.join('')}\t</Period>\n</MPD>\n`;
const video = (id: number, width: number, height: number, par: string) =>
  set(id, 'video', ` bitstreamSwitching="true" maxWidth="${width}" maxHeight="${height}" par="${par}"`, [
    `id="${id}" mimeType="video/mp4" width="${width}" height="${height}" sar="1:1"`,
  ]);

describe('mergeVideoAdaptationSets', () => {
  it('puts every video Representation into the first video set, sized by the largest, then the other sets', () => {
    // Without bitstream switching: each rung has its own init segment.
    const merged = mergeVideoAdaptationSets(
      mpd(
        video(0, 426, 240, '71:40'),
        video(1, 640, 360, '16:9'),
        set(2, 'audio', '', ['id="2" mimeType="audio/mp4"']),
      ),
    );
    expect(merged).toBe(
      mpd(
        set(0, 'video', ' maxWidth="640" maxHeight="360" par="16:9"', [
          'id="0" mimeType="video/mp4" width="426" height="240" sar="1:1"',
          'id="1" mimeType="video/mp4" width="640" height="360" sar="1:1"',
        ]),
        set(1, 'audio', '', ['id="2" mimeType="audio/mp4"']),
      ),
    );
  });

  it('leaves a manifest with one video set as it was', () => {
    const single = mpd(video(0, 160, 90, '16:9'));
    expect(mergeVideoAdaptationSets(single)).toBe(single);
  });

  it('refuses a manifest it cannot read safely', () => {
    expect(() => mergeVideoAdaptationSets('<MPD></MPD>')).toThrow(UnexpectedPackage);
    expect(() =>
      mergeVideoAdaptationSets(mpd(video(0, 160, 90, '16:9'), '\t\t<Other/>\n', video(1, 320, 180, '16:9'))),
    ).toThrow('the adaptation sets in the manifest are not side by side');
    expect(() => mergeVideoAdaptationSets(mpd(set(0, 'video', '', []), video(1, 320, 180, '16:9')))).toThrow(
      'a video AdaptationSet in the manifest has no Representation',
    );
  });
});
