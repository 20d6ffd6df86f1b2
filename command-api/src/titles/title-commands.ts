import { maturityRatings, streamName, type TitleCommand, titleDecider } from '@marquee/domain';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId, runCommand } from '../command-request';
import type { CommandContext } from '../context';

const titleFields = {
  name: z.string().trim().min(1).max(200),
  synopsis: z.string().max(5000),
  genres: z.array(z.string().trim().min(1).max(40)).min(1).max(10),
  year: z.number().int().min(1888).max(2100),
  maturityRating: z.enum(maturityRatings),
};
export const createTitleBody = z.strictObject({ ...titleFields, synopsis: titleFields.synopsis.default('') });
/** Only the fields sent change; none has a default here, so an absent field stays as it was. */
export const updateTitleBody = z.strictObject(titleFields).partial();

export const onTitle = (context: CommandContext, request: CommandRequest, titleId: string, command: TitleCommand) =>
  runCommand(context, request, streamName('title', titleId), titleDecider, command);

export const createTitle = async (
  context: CommandContext,
  request: CommandRequest,
  body: z.output<typeof createTitleBody>,
) => {
  const titleId = newId(request, 'title');
  await onTitle(context, request, titleId, { type: 'CreateTitle', titleId, ...body, at: request.at });
  return { titleId, ...body };
};

export const updateTitle = async (
  context: CommandContext,
  request: CommandRequest,
  titleId: string,
  body: z.output<typeof updateTitleBody>,
) => {
  const { state } = await onTitle(context, request, titleId, {
    type: 'UpdateTitleMetadata',
    changes: body,
    at: request.at,
  });
  return { titleId, ...(state.status === 'created' ? state.metadata : {}) };
};

export const publishTitle = async (context: CommandContext, request: CommandRequest, titleId: string) => {
  const { state } = await onTitle(context, request, titleId, { type: 'PublishTitle', at: request.at });
  return { titleId, published: state.status === 'created' ? state.published : null };
};

export const unpublishTitle = async (context: CommandContext, request: CommandRequest, titleId: string) => {
  await onTitle(context, request, titleId, { type: 'UnpublishTitle', at: request.at });
  return { titleId, published: null };
};

const titleParams = z.strictObject({ titleId: z.string().min(1).max(128) });

export const createTitleOperation = defineCommand({
  method: 'post',
  path: '/titles',
  summary: 'Create a title',
  access: ['content'],
  body: createTitleBody,
  successStatus: 201,
  handle: ({ context, body }, request) => createTitle(context, request, body),
});

export const updateTitleOperation = defineCommand({
  method: 'patch',
  path: '/titles/:titleId',
  summary: "Update a title's metadata (only the fields sent)",
  access: ['content'],
  params: titleParams,
  body: updateTitleBody,
  handle: ({ context, params, body }, request) => updateTitle(context, request, params.titleId, body),
});

export const publishTitleOperation = defineCommand({
  method: 'post',
  path: '/titles/:titleId/publish',
  summary: 'Publish the latest successful encoding',
  access: ['content'],
  params: titleParams,
  body: z.strictObject({}),
  errors: { 409: 'No encoding has succeeded yet (the reason says why), or it is already published.' },
  handle: ({ context, params }, request) => publishTitle(context, request, params.titleId),
});

export const unpublishTitleOperation = defineCommand({
  method: 'post',
  path: '/titles/:titleId/unpublish',
  summary: 'Withdraw a title from viewers',
  access: ['content'],
  params: titleParams,
  body: z.strictObject({}),
  handle: ({ context, params }, request) => unpublishTitle(context, request, params.titleId),
});
