import { streamName, type TitleCommand, titleDecider, titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { type CommandRequest, newId, runCommand } from '../command-request';
import type { CommandContext } from '../context';

// The fields the domain validates a title's metadata with.
const titleFields = titleMetadata.shape;
export const createTitleBody = z.strictObject({ ...titleFields, synopsis: titleFields.synopsis.default('') });
/** Only the fields sent change; none has a default here, so an absent field stays as it was. */
export const updateTitleBody = z.strictObject(titleFields).partial();
/** A title's metadata after the command, as the title holds it. */
const titleAnswer = titleMetadata.extend({ titleId: z.string() });

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
  response: titleAnswer,
  handle: ({ context, body }, request) => createTitle(context, request, body),
});

export const updateTitleOperation = defineCommand({
  method: 'patch',
  path: '/titles/:titleId',
  summary: "Update a title's metadata (only the fields sent)",
  access: ['content'],
  params: titleParams,
  body: updateTitleBody,
  response: titleAnswer,
  handle: ({ context, params, body }, request) => updateTitle(context, request, params.titleId, body),
});

export const publishTitleOperation = defineCommand({
  method: 'post',
  path: '/titles/:titleId/publish',
  summary: 'Publish the latest successful encoding',
  access: ['content'],
  params: titleParams,
  body: z.strictObject({}),
  response: z.object({
    titleId: z.string(),
    published: z.object({ encodingId: z.string(), manifestPath: z.string() }).nullable(),
  }),
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
  response: z.object({ titleId: z.string(), published: z.null() }),
  handle: ({ context, params }, request) => unpublishTitle(context, request, params.titleId),
});
