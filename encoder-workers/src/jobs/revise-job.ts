import {
  encodingLacksTracks,
  latestEncoding,
  streamName,
  type TitleEvent,
  type TitleState,
  titleDecider,
} from '@marquee/domain';
import { type AggregateCache, type EventStore, handleCommand, type Logger, type ReviseJob } from '@marquee/platform';
import { DelayedError, type Job } from 'bullmq';
import { revisePackage } from '../encoding/revise-package';
import { failEncodingJob } from './record-encoding-failure';
import { recordEncodingSuccess, titleCommands } from './record-encoding-success';
import { removeLeftovers } from './remove-leftovers';

/*
 * A revision job: the title's latest encoding again, its video reused, with the audio tracks and
 * captions the title has when the job runs. Several jobs may ask for the same change (a caption
 * added, then the encoding that was running succeeds without it): the first to run makes the
 * revision, the others find nothing lacking and end without recording anything.
 */

export const defaultWaitForRevisionMs = 5_000;

/** What a revision job does, given the title as it is now. */
export type RevisionPlan =
  /** Nothing to revise: `why` is for the log. */
  | { action: 'nothing'; why: string }
  /** Another revision of this title is running: what it lacks is seen to when it ends. */
  | { action: 'wait'; behind: string }
  /** Record the start of this revision of `revisionOf` (of the same upload). */
  | { action: 'start'; revisionOf: string; uploadId: string }
  /** This job's revision started before (a retried or recovered job): go on with it. */
  | { action: 'resume'; revisionOf: string; uploadId: string };

/**
 * One revision at a time per title: two revisions of the same base started side by side would
 * both go live, the second replacing the first's tracks with its own and leaving what only the
 * first had out of the published package.
 */
export const planRevision = (state: TitleState, encodingId: string): RevisionPlan => {
  if (state.status !== 'created') return { action: 'nothing', why: 'the title does not exist' };
  const own = state.encodings.find((encoding) => encoding.encodingId === encodingId);
  if (own?.status === 'running' && own.revisionOf !== undefined)
    return { action: 'resume', revisionOf: own.revisionOf, uploadId: own.uploadId };
  if (own) return { action: 'nothing', why: `this revision already ended (${own.status})` };
  const other = state.encodings.find((encoding) => encoding.status === 'running' && encoding.revisionOf !== undefined);
  if (other) return { action: 'wait', behind: other.encodingId };
  const latest = latestEncoding(state);
  // The running encode reads the tracks when it starts; if it misses some, its success asks for a revision.
  if (!latest) return { action: 'nothing', why: 'no encoding has succeeded yet' };
  if (!encodingLacksTracks(state, latest))
    return { action: 'nothing', why: 'the latest encoding has every audio track and captions' };
  return { action: 'start', revisionOf: latest.encodingId, uploadId: latest.uploadId };
};

/** Thrown inside the start's decision so that a revision started meanwhile by another job is seen on the retry. */
class RevisionRunning extends Error {
  constructor(readonly behind: string) {
    super(`the revision ${behind} of this title is running`);
  }
}

/**
 * Plans on the title as loaded and records the start in the same decision, appended at the
 * revision it was loaded at: of two jobs deciding at once, the second is refused by the store,
 * loads again, and sees the first one running.
 */
const startRevision = async (
  deps: { eventStore: EventStore; cache?: AggregateCache },
  titleId: string,
  encodingId: string,
) => {
  // Set by the decision below (TypeScript cannot see that it runs).
  let plan = { action: 'nothing', why: 'not decided' } as RevisionPlan;
  try {
    const { states } = await handleCommand(
      deps.eventStore,
      { title: { streamName: streamName('title', titleId), decider: titleDecider } },
      ({ title }): { title: TitleEvent[] } => {
        plan = planRevision(title, encodingId);
        if (plan.action === 'wait') throw new RevisionRunning(plan.behind);
        if (plan.action !== 'start') return { title: [] };
        const { revisionOf, uploadId } = plan;
        const command = {
          type: 'RecordEncodingStarted',
          encodingId,
          uploadId,
          revisionOf,
          at: new Date().toISOString(),
        } as const;
        return { title: titleDecider.decide(command, title) };
      },
      { retries: 3, ...(deps.cache && { cache: deps.cache }) },
    );
    return { plan, state: states.title };
  } catch (error) {
    if (error instanceof RevisionRunning) return { plan, state: undefined };
    throw error;
  }
};

export const processReviseJob = async (
  job: Job<ReviseJob>,
  deps: {
    eventStore: EventStore;
    originDir: string;
    waitForRevisionMs: number;
    cache?: AggregateCache;
    logger?: Logger;
  },
  token?: string,
  signal?: AbortSignal,
) => {
  const { titleId } = job.data;
  const encodingId = job.id as string;
  const { plan, state } = await startRevision(deps, titleId, encodingId);
  if (plan.action === 'nothing') {
    deps.logger?.info({ titleId, jobId: encodingId, why: plan.why }, 'nothing to revise');
    return { encodingId, skipped: true };
  }
  if (plan.action === 'wait') {
    deps.logger?.info({ titleId, jobId: encodingId, behind: plan.behind }, 'revision waits for the one running');
    await job.moveToDelayed(Date.now() + deps.waitForRevisionMs, token);
    throw new DelayedError();
  }
  if (state?.status !== 'created') throw new Error(`the title ${titleId} is not there`);
  const { revisionOf, uploadId } = plan;
  const record = titleCommands(deps, titleId);
  try {
    // For the encoding status: which upload and encoding this revision is of.
    await job.updateData({ ...job.data, uploadId, revisionOf });
    await removeLeftovers(deps.originDir, encodingId);
    const revised = await revisePackage({
      originDir: deps.originDir,
      titleId,
      baseEncodingId: revisionOf,
      encodingId,
      audioTracks: state.audioTracks,
      captions: state.captions,
      ...(signal && { signal }),
      onProgress: (progress) => void job.updateProgress(progress),
    });
    // A revision of the published encoding goes live with this (the decider says so).
    await recordEncodingSuccess(record, encodingId, revised);
    deps.logger?.info({ titleId, encodingId, revisionOf }, 'revision succeeded');
    return { encodingId, manifestPath: revised.manifestPath };
  } catch (error) {
    return failEncodingJob(job, error, { titleId, encodingId, uploadId }, deps);
  }
};
