import { z } from 'zod';
import type { ProjectedEvent } from '../projection';

/** Running QoE sums and the figures analysts read off them. */
export const qoe = z.object({
  reports: z.number(),
  startupMsSum: z.number(),
  rebufferCount: z.number(),
  rebufferMsSum: z.number(),
  watchedSecondsSum: z.number(),
  bitrateSecondsSum: z
    .number()
    .describe('Bitrate weighted by seconds watched, so a long session counts for more than a short one.'),
  avgStartupMs: z.number(),
  rebufferRatio: z.number().describe('Time spent rebuffering over time spent watching or rebuffering.'),
  avgBitrateKbps: z.number(),
});
export type QoE = z.infer<typeof qoe>;

export const emptyQoE: QoE = {
  reports: 0,
  startupMsSum: 0,
  rebufferCount: 0,
  rebufferMsSum: 0,
  watchedSecondsSum: 0,
  bitrateSecondsSum: 0,
  avgStartupMs: 0,
  rebufferRatio: 0,
  avgBitrateKbps: 0,
};

export const addQoE = (qoe: QoE, event: ProjectedEvent<'PlaybackQoEReported'>): QoE => {
  const { startupMs, rebufferCount, rebufferMs, averageBitrateKbps, watchedSeconds } = event.data;
  const sums = {
    reports: qoe.reports + 1,
    startupMsSum: qoe.startupMsSum + startupMs,
    rebufferCount: qoe.rebufferCount + rebufferCount,
    rebufferMsSum: qoe.rebufferMsSum + rebufferMs,
    watchedSecondsSum: qoe.watchedSecondsSum + watchedSeconds,
    bitrateSecondsSum: qoe.bitrateSecondsSum + averageBitrateKbps * watchedSeconds,
  };
  const watchedMs = sums.watchedSecondsSum * 1000;
  return {
    ...sums,
    avgStartupMs: sums.startupMsSum / sums.reports,
    rebufferRatio: watchedMs + sums.rebufferMsSum > 0 ? sums.rebufferMsSum / (watchedMs + sums.rebufferMsSum) : 0,
    avgBitrateKbps: sums.watchedSecondsSum > 0 ? sums.bitrateSecondsSum / sums.watchedSecondsSum : 0,
  };
};
