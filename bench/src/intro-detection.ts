// bench/intro-detection: a made-up season of 4 episodes of 3 minutes sharing a 30 s intro after
// cold opens of 0, 8, 15 and 25 s. The project fingerprints each episode's start (a third, at
// most 5 minutes); the baseline is the same detection over each whole episode (what a detector
// that does not know intros sit near the start would do). Both are timed in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSeasonIntros, type EpisodeAudio } from '@marquee/encoder-workers';
import { makeEpisodeClip } from '@marquee/platform/testing';
import { result } from './report';

const episodeSeconds = 180;
const introSeconds = 30;
const coldOpens = [0, 8, 15, 25];

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export const introDetectionBenchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-intro-'));
  const episodes: EpisodeAudio[] = await Promise.all(
    coldOpens.map(async (coldOpenSeconds, index) => ({
      titleId: `e${index + 1}`,
      sourcePath: await makeEpisodeClip(join(dir, `e${index + 1}.mp4`), {
        coldOpenSeconds,
        introSeconds,
        contentSeconds: episodeSeconds - introSeconds - coldOpenSeconds,
        variant: index + 1,
        size: '320x180',
      }),
      durationSeconds: episodeSeconds,
    })),
  );
  const maxError = (intros: Awaited<ReturnType<typeof detectSeasonIntros>>) =>
    Math.max(
      ...coldOpens.map((start, index) => {
        const intro = intros.get(`e${index + 1}`);
        if (!intro) return 999; // missed: far outside any tolerance
        return Math.max(Math.abs(intro.startSeconds - start), Math.abs(intro.endSeconds - start - introSeconds));
      }),
    );
  const projectStart = process.hrtime.bigint();
  const project = await detectSeasonIntros(episodes);
  const projectSeconds = seconds(projectStart);
  const baselineStart = process.hrtime.bigint();
  const baseline = await detectSeasonIntros(episodes, { windowFraction: 1, maxWindowSeconds: episodeSeconds });
  const baselineSeconds = seconds(baselineStart);
  rmSync(dir, { recursive: true, force: true });

  const perEpisode = (total: number) => total / episodes.length;
  return result(
    'intro-detection',
    [
      {
        what: `season intro, ${episodes.length} × ${episodeSeconds} s episodes, per episode`,
        unit: 'episodes/s (faster is higher)',
        project: 1 / perEpisode(projectSeconds),
        baseline: 1 / perEpisode(baselineSeconds),
        baselineName: 'the same detection over each whole episode',
      },
    ],
    {
      episodes: episodes.length,
      episodeSeconds,
      introSeconds,
      projectSecondsPerEpisode: Number(perEpisode(projectSeconds).toFixed(3)),
      baselineSecondsPerEpisode: Number(perEpisode(baselineSeconds).toFixed(3)),
      projectMaxErrorSeconds: maxError(project),
      baselineMaxErrorSeconds: maxError(baseline),
      projectIntros: JSON.stringify(Object.fromEntries(project)),
    },
  );
};
