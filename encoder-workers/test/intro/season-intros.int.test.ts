import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEpisodeClip } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSeasonIntros, type EpisodeAudio } from '../../src/intro/season-intros';

// Three 60 s episodes share a 10 s tune after cold opens of 0, 4 and 7 s; a fourth has no tune.
const introSeconds = 10;
const durationSeconds = 60;
const season = [
  { titleId: 'e1', coldOpenSeconds: 0 },
  { titleId: 'e2', coldOpenSeconds: 4 },
  { titleId: 'e3', coldOpenSeconds: 7 },
];
const dir = mkdtempSync(join(tmpdir(), 'marquee-intro-'));
let episodes: EpisodeAudio[] = [];
let unrelated: EpisodeAudio;

beforeAll(async () => {
  const make = (name: string, coldOpenSeconds: number, intro: number, variant: number) =>
    makeEpisodeClip(join(dir, `${name}.m4a`), {
      coldOpenSeconds,
      introSeconds: intro,
      contentSeconds: durationSeconds - coldOpenSeconds - intro,
      variant,
    });
  episodes = await Promise.all(
    season.map(async ({ titleId, coldOpenSeconds }, index) => ({
      titleId,
      sourcePath: await make(titleId, coldOpenSeconds, introSeconds, index + 1),
      durationSeconds,
    })),
  );
  // Its own sound throughout: 0.5 s of the tune is far too short to be an intro.
  unrelated = { titleId: 'other', sourcePath: await make('other', 0, 0.5, 9), durationSeconds };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each episode's detected intro starts and ends within a second of where its clip put it. */
const expectWithinASecond = (
  intros: Awaited<ReturnType<typeof detectSeasonIntros>>,
  made: { titleId: string; coldOpenSeconds: number }[],
) => {
  for (const { titleId, coldOpenSeconds } of made) {
    const intro = intros.get(titleId);
    expect(intro, titleId).toBeDefined();
    expect(Math.abs((intro?.startSeconds ?? -9) - coldOpenSeconds), `${titleId} start`).toBeLessThanOrEqual(1);
    expect(
      Math.abs((intro?.endSeconds ?? -9) - (coldOpenSeconds + introSeconds)),
      `${titleId} end`,
    ).toBeLessThanOrEqual(1);
  }
};

describe('season intro detection', () => {
  it('finds the intro each episode shares with the others, within a second', async () => {
    const intros = await detectSeasonIntros([...episodes, unrelated]);
    expectWithinASecond(intros, season);
    expect(intros.has('other')).toBe(false);
  });

  it('finds it in short episodes too, where a third of the episode would end inside the intro', async () => {
    // The demo series' shape: 30 s episodes, a 10 s intro after cold opens of 3, 6 and 4 s.
    const short = [3, 6, 4].map((coldOpenSeconds, index) => ({ titleId: `short-${index + 1}`, coldOpenSeconds }));
    const made = await Promise.all(
      short.map(async ({ titleId, coldOpenSeconds }, index) => ({
        titleId,
        sourcePath: await makeEpisodeClip(join(dir, `${titleId}.m4a`), {
          coldOpenSeconds,
          introSeconds,
          contentSeconds: 30 - coldOpenSeconds - introSeconds,
          variant: index + 1,
        }),
        durationSeconds: 30,
      })),
    );
    const intros = await detectSeasonIntros(made);
    expectWithinASecond(intros, short);
  });

  it('proposes nothing for episodes that share no intro, or for a lone episode', async () => {
    expect(await detectSeasonIntros([episodes[0] as EpisodeAudio, unrelated])).toEqual(new Map());
    expect(await detectSeasonIntros([episodes[1] as EpisodeAudio])).toEqual(new Map());
  });

  it('leaves out an episode whose source is missing, and says so', async () => {
    const unreadable: string[] = [];
    const intros = await detectSeasonIntros(
      [...episodes.slice(0, 2), { titleId: 'gone', sourcePath: join(dir, 'gone.m4a'), durationSeconds }],
      { onUnreadable: (episode) => unreadable.push(episode.titleId) },
    );
    expect(unreadable).toEqual(['gone']);
    expect([...intros.keys()].sort()).toEqual(['e1', 'e2']);
  });
});
