import { describe, expect, it } from 'vitest';
import type { PlayerTracks } from '../src/app/watch/dash-tracks';
import {
  followNativeTracks,
  type NativeAudioTrack,
  type NativeTextTrack,
  selectNativeAudio,
  selectNativeCaptions,
} from '../src/app/watch/native-hls-tracks';

/** A TrackList as Safari gives it: array-like, with addtrack and change events. */
const trackList = <T>(items: T[]) => {
  const listeners = new Set<() => void>();
  const list = Object.assign(items, {
    addEventListener: (_name: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_name: string, listener: () => void) => listeners.delete(listener),
    add: (item: T) => {
      items.push(item);
      for (const listener of [...listeners]) listener();
    },
    listening: () => listeners.size,
  });
  return list;
};

const audio = (language: string, label: string, kind: string, enabled: boolean): NativeAudioTrack => ({
  id: language,
  language,
  label,
  kind,
  enabled,
});
const text = (language: string, label: string, kind = 'subtitles'): NativeTextTrack => ({
  id: language,
  language,
  label,
  kind,
  mode: 'disabled',
});

const safariVideo = () => ({
  audioTracks: trackList([audio('en', 'English', 'main', true), audio('fr', 'French', 'alternative', false)]),
  textTracks: trackList<NativeTextTrack>([]),
});

describe("the browser's own HLS tracks (Safari)", () => {
  it("starts in the profile's audio language, and shows its captions once the master's subtitles appear", () => {
    const video = safariVideo();
    const seen: PlayerTracks[] = [];
    followNativeTracks(video, { audioLanguage: 'fr', captionLanguage: 'fr' }, (tracks) => seen.push(tracks));
    expect(video.audioTracks.map((track) => track.enabled)).toEqual([false, true]);
    video.textTracks.add(text('en', 'English'));
    video.textTracks.add(text('fr', 'French'));
    // Chapters and metadata tracks are not captions.
    video.textTracks.add(text('en', 'Chapters', 'chapters'));
    expect(video.textTracks.map((track) => track.mode)).toEqual(['disabled', 'showing', 'disabled']);
    expect(seen.at(-1)).toMatchObject({
      audio: [
        { language: 'en', main: true },
        { language: 'fr', main: false },
      ],
      captions: [{ language: 'en' }, { language: 'fr' }],
      audioId: '1',
      captionsId: '1',
    });
  });

  it('leaves captions off for a profile without a caption language', () => {
    const video = safariVideo();
    followNativeTracks(video, { audioLanguage: null, captionLanguage: null }, () => {});
    video.textTracks.add({ ...text('en', 'English'), mode: 'showing' });
    expect(video.textTracks[0]?.mode).toBe('disabled');
    expect(video.audioTracks[0]?.enabled).toBe(true);
  });

  it("keeps the viewer's pick when more tracks appear later", () => {
    const video = safariVideo();
    const tracks = followNativeTracks(video, { audioLanguage: null, captionLanguage: 'fr' }, () => {});
    video.textTracks.add(text('en', 'English'));
    tracks.selectCaptions('0');
    video.textTracks.add(text('fr', 'French'));
    expect(video.textTracks.map((track) => track.mode)).toEqual(['showing', 'disabled']);
  });

  it("switches on the viewer's pick: one audio track enabled, one caption track showing or none", () => {
    const video = safariVideo();
    video.textTracks.push(text('en', 'English'), text('fr', 'French'));
    selectNativeAudio(video, '1');
    expect(video.audioTracks.map((track) => track.enabled)).toEqual([false, true]);
    selectNativeCaptions(video, '0');
    expect(video.textTracks.map((track) => track.mode)).toEqual(['showing', 'disabled']);
    selectNativeCaptions(video, null);
    expect(video.textTracks.map((track) => track.mode)).toEqual(['disabled', 'disabled']);
  });

  it('stops listening when the player is torn down', () => {
    const video = safariVideo();
    const { stop } = followNativeTracks(video, { audioLanguage: null, captionLanguage: null }, () => {});
    expect(video.textTracks.listening()).toBeGreaterThan(0);
    stop();
    expect(video.textTracks.listening()).toBe(0);
    expect(video.audioTracks.listening()).toBe(0);
  });
});
