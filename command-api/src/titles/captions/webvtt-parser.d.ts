// The W3C's WebVTT parser and validator (w3c/webvtt.js) ships no types: what Marquee uses of it.
declare module 'webvtt-parser' {
  export type WebVTTCue = { id: string; startTime: number; endTime: number; text: string };
  /** `line` counts from 1; `col`, when given, from 1 within that line. */
  export type WebVTTError = { message: string; line: number; col?: number };
  export class WebVTTParser {
    parse(input: string, mode?: 'subtitles' | 'chapters' | 'metadata'): { cues: WebVTTCue[]; errors: WebVTTError[] };
  }
  const webvtt: { WebVTTParser: typeof WebVTTParser };
  export default webvtt;
}
