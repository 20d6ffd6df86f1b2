import { InvalidCaptions } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { readCaptions } from '../../src/titles/captions/read-captions';

const bytes = (text: string) => Buffer.from(text, 'utf8');

const refusal = (text: string | Buffer, format?: 'vtt' | 'srt') => {
  try {
    readCaptions(typeof text === 'string' ? bytes(text) : text, format);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCaptions);
    return error as InvalidCaptions;
  }
  throw new Error('the captions were read');
};

const vtt = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello\n\n2\n00:00:02.500 --> 00:00:04.000\nWorld\n';

describe('readCaptions', () => {
  it('reads WebVTT as it is, counting its cues', () => {
    expect(readCaptions(bytes(vtt), 'vtt')).toEqual({ text: vtt, cueCount: 2, format: 'vtt' });
  });

  it('names the line of a cue whose timing is broken', () => {
    const broken = vtt.replace('00:00:02.500 --> 00:00:04.000', '00:00:0X.500 --> 00:00:04.000');
    const error = refusal(broken);
    expect(error.details).toEqual({ line: 8 });
    expect(error.message).toMatch(/^The captions cannot be read: line 8: .+/);
  });

  it('refuses what a player would drop without a word: a mistyped arrow, an end before the start, cues out of order', () => {
    expect(refusal(vtt.replace('00:00:02.500 --> 00:00:04.000', '00:00:02.500 -> 00:00:04.000')).details).toEqual({
      line: 8,
    });
    expect(refusal('WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHello\n').message).toMatch(
      /line 3: End timestamp is not greater than start timestamp/,
    );
    expect(refusal('WEBVTT\n\n00:00:03.000 --> 00:00:05.000\nA\n\n00:00:01.000 --> 00:00:02.000\nB\n').details).toEqual(
      { line: 6 },
    );
  });

  it('refuses a file sent as WebVTT without the signature, an empty one, and one without cues', () => {
    expect(refusal('00:00:01.000 --> 00:00:02.000\nHello\n', 'vtt').message).toMatch(/line 1: No valid signature/);
    expect(refusal('').message).toMatch(/line 1: the file is empty/);
    expect(refusal('WEBVTT\n\nNOTE nothing yet\n').message).toMatch(/the file has no cues/);
  });

  it('names the first line that is not UTF-8', () => {
    const latin1 = Buffer.concat([bytes('1\n00:00:01,000 --> 00:00:02,000\n'), Buffer.from('Caf\xe9\n', 'latin1')]);
    expect(refusal(latin1).message).toMatch(/line 3: the text is not UTF-8/);
  });

  it('converts SRT to WebVTT: a signature, and its timings written with a full stop', () => {
    const srt =
      '1\r\n00:00:01,000 --> 00:00:02,500\r\nHello <i>there</i>\r\n\r\n2\r\n0:00:03,00 --> 00:00:04,000\r\nWorld\r\n';
    expect(readCaptions(bytes(srt), 'srt')).toEqual({
      text: 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello <i>there</i>\n\n2\n00:00:03.000 --> 00:00:04.000\nWorld\n',
      cueCount: 2,
      format: 'srt',
    });
  });

  it("names a broken SRT cue's line as the SRT file numbers it", () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03;000 --> 00:00:04,000\nWorld\n';
    expect(refusal(srt, 'srt').details).toEqual({ line: 6 });
  });

  it('tells WebVTT from SRT by the content when the type does not say', () => {
    expect(readCaptions(bytes(vtt), undefined).format).toBe('vtt');
    expect(readCaptions(bytes('1\n00:00:01,000 --> 00:00:02,000\nHi\n'), undefined).format).toBe('srt');
    // SRT never starts with the signature: such a file is WebVTT whatever it was sent as.
    expect(readCaptions(bytes(vtt), 'srt').format).toBe('vtt');
  });

  it('strips a byte order mark and normalises line endings, and keeps what players read past', () => {
    const sent =
      '\uFEFFWEBVTT\r\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nFish & chips <font color="red">hot</font>';
    expect(readCaptions(bytes(sent), 'vtt')).toEqual({
      text: 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\nFish & chips <font color="red">hot</font>\n',
      cueCount: 1,
      format: 'vtt',
    });
  });
});
