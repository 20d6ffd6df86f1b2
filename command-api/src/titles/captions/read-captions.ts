/// <reference path="./webvtt-parser.d.ts" />
/**
 * Captions as the content team sends them (WebVTT, or SRT) read into the WebVTT Marquee keeps:
 * UTF-8 without a byte order mark, "\n" line endings, SRT's timings rewritten as WebVTT's. The
 * file is checked by the W3C's WebVTT validator (webvtt-parser, w3c/webvtt.js): the first
 * problem it finds refuses the file with its line, as the content team's editor numbers it.
 *
 * What is checked is the file's structure (signature, cue blocks, timings and their order, cue
 * settings): a mistake there makes a player drop a cue without a word. Markup inside cue text
 * (`<font>`, a bare `&`) is not: players show such text as best they can, and SRT files are
 * full of it. Header lines after the signature (`X-TIMESTAMP-MAP`, `Kind:`) are allowed too,
 * as every player reads them.
 */
import { InvalidCaptions } from '@marquee/domain';
import webvtt from 'webvtt-parser';

export type CaptionsFormat = 'vtt' | 'srt';
export type ReadCaptions = { text: string; cueCount: number; format: CaptionsFormat };

const toleratedProblems = new Set(['No blank line after the signature.']);

/** The text, or InvalidCaptions naming the first line that is not UTF-8. */
const decodeUtf8 = (bytes: Uint8Array): string => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    // Find the line to name: each line decoded alone until one fails.
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        strict.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
      } catch {
        throw new InvalidCaptions(line, 'the text is not UTF-8; save the file as UTF-8 and send it again');
      }
      if (end === -1) throw new InvalidCaptions(line, 'the text is not UTF-8');
      start = end + 1;
    }
  }
};

const isWebVtt = (text: string) => /^WEBVTT([ \t]|$)/.test(text.split('\n', 1)[0] ?? '');

// SRT writes "00:01:02,500" where WebVTT writes "00:01:02.500"; some tools write one-digit hours.
const srtTimestamp = /(\d+):(\d{2}):(\d{2})[,.](\d{1,3})/g;
const srtTimingsAsWebVtt = (line: string) =>
  line.includes('-->')
    ? line.replace(
        srtTimestamp,
        (_all, hours: string, minutes: string, seconds: string, millis: string) =>
          `${hours.padStart(2, '0')}:${minutes}:${seconds}.${millis.padEnd(3, '0')}`,
      )
    : line;

/** SRT as WebVTT: a signature and a blank line before it, its timings rewritten; its lines keep their order. */
const srtAsWebVtt = (text: string) => `WEBVTT\n\n${text.split('\n').map(srtTimingsAsWebVtt).join('\n')}`;
const srtHeaderLines = 2;

/**
 * Reads captions: `format` is what the Content-Type said, or undefined to tell by the content
 * (a WebVTT file starts with its signature; anything else is read as SRT).
 */
export const readCaptions = (bytes: Uint8Array, format: CaptionsFormat | undefined): ReadCaptions => {
  const normalised = decodeUtf8(bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  if (normalised.trim() === '') throw new InvalidCaptions(1, 'the file is empty');
  // SRT has no signature, so a file that starts with WebVTT's is WebVTT whatever it was sent as.
  const read = isWebVtt(normalised) ? 'vtt' : (format ?? 'srt');
  const converted = read === 'srt' ? srtAsWebVtt(normalised) : normalised;
  // "metadata" mode: the validator leaves cue text alone (see above).
  const { cues, errors } = new webvtt.WebVTTParser().parse(converted, 'metadata');
  const problem = errors.find((error) => !toleratedProblems.has(error.message));
  if (problem) {
    const line = read === 'srt' ? Math.max(1, problem.line - srtHeaderLines) : problem.line;
    const where = problem.col === undefined ? '' : ` (column ${problem.col})`;
    throw new InvalidCaptions(line, `${problem.message.replace(/\.$/, '')}${where}`);
  }
  if (cues.length === 0)
    throw new InvalidCaptions(
      normalised.split('\n').length,
      'the file has no cues (a timing line such as "00:00:01.000 --> 00:00:03.000" and its text)',
    );
  const text = converted.endsWith('\n') ? converted : `${converted}\n`;
  return { text, cueCount: cues.length, format: read };
};
