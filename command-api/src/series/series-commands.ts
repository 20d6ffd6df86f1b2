import { type SeriesCommand, seriesDecider, streamName, titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId, runCommand } from '../command-request';
import type { CommandContext } from '../context';
import { createTitleBody, updateTitleBody } from '../titles/title-commands';

/** A series' metadata is a title's: its rating is the floor of every episode's. */
export const createSeriesBody = createTitleBody;
export const updateSeriesBody = updateTitleBody;
const seriesAnswer = titleMetadata.extend({ seriesId: z.string() });

export const seriesParams = z.strictObject({ seriesId: z.string().min(1).max(128) });

export const onSeries = (context: CommandContext, request: CommandRequest, seriesId: string, command: SeriesCommand) =>
  runCommand(context, request, streamName('series', seriesId), seriesDecider, command);

export const createSeries = async (
  context: CommandContext,
  request: CommandRequest,
  body: z.output<typeof createSeriesBody>,
) => {
  const seriesId = newId(request, 'series');
  await onSeries(context, request, seriesId, { type: 'CreateSeries', seriesId, ...body, at: request.at });
  return { seriesId, ...body };
};

export const updateSeries = async (
  context: CommandContext,
  request: CommandRequest,
  seriesId: string,
  body: z.output<typeof updateSeriesBody>,
) => {
  const { state } = await onSeries(context, request, seriesId, {
    type: 'UpdateSeriesMetadata',
    changes: body,
    at: request.at,
  });
  return { seriesId, ...(state.status === 'created' ? state.metadata : {}) };
};

export const createSeriesOperation = defineCommand({
  method: 'post',
  path: '/series',
  summary: 'Create a series (its rating is the floor of its episodes’)',
  access: ['content'],
  body: createSeriesBody,
  successStatus: 201,
  response: seriesAnswer,
  handle: ({ context, body }, request) => createSeries(context, request, body),
});

export const updateSeriesOperation = defineCommand({
  method: 'patch',
  path: '/series/:seriesId',
  summary: "Update a series' metadata (only the fields sent)",
  access: ['content'],
  params: seriesParams,
  body: updateSeriesBody,
  response: seriesAnswer,
  errors: { 422: 'The update names no field (NothingToUpdate).' },
  handle: ({ context, params, body }, request) => updateSeries(context, request, params.seriesId, body),
});

export const publishSeriesOperation = defineCommand({
  method: 'post',
  path: '/series/:seriesId/publish',
  summary: 'Publish a series: its published episodes become visible to viewers',
  access: ['content'],
  params: seriesParams,
  body: z.strictObject({}),
  response: z.object({ seriesId: z.string(), published: z.literal(true) }),
  errors: { 409: 'The series is already published (SeriesAlreadyPublished).' },
  handle: async ({ context, params }, request) => {
    await onSeries(context, request, params.seriesId, { type: 'PublishSeries', at: request.at });
    return { seriesId: params.seriesId, published: true as const };
  },
});

export const unpublishSeriesOperation = defineCommand({
  method: 'post',
  path: '/series/:seriesId/unpublish',
  summary: 'Withdraw a series, and with it every episode, from viewers',
  access: ['content'],
  params: seriesParams,
  body: z.strictObject({}),
  response: z.object({ seriesId: z.string(), published: z.literal(false) }),
  errors: { 409: 'The series is not published (SeriesNotPublished).' },
  handle: async ({ context, params }, request) => {
    await onSeries(context, request, params.seriesId, { type: 'UnpublishSeries', at: request.at });
    return { seriesId: params.seriesId, published: false as const };
  },
});
