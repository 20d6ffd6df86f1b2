import { streamName, type TitleCommand, type TitleState, titleDecider, titleMetadata } from '@marquee/domain';
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

// The shape of a range here; whether it fits the title (in order, within its duration, the intro
// before the credits) is the domain's to say, naming the field (422 InvalidMarkers).
const markerBody = z
  .strictObject({
    startSeconds: z.number().min(0).max(86_400),
    endSeconds: z.number().min(0).max(86_400),
  })
  .nullable();
export const setMarkersBody = z.strictObject({
  intro: markerBody.describe('The intro, in seconds from the start; null when there is none.'),
  credits: markerBody.describe('The end credits, in seconds from the start; null when there are none.'),
});
const markersAnswer = z.object({
  titleId: z.string(),
  intro: z.object({ startSeconds: z.number(), endSeconds: z.number() }).nullable(),
  credits: z.object({ startSeconds: z.number(), endSeconds: z.number() }).nullable(),
});

const markersOf = (titleId: string, state: TitleState) => ({
  titleId,
  ...(state.status === 'created' ? state.markers : { intro: null, credits: null }),
});

export const setMarkers = async (
  context: CommandContext,
  request: CommandRequest,
  titleId: string,
  body: z.output<typeof setMarkersBody>,
) => {
  const { state } = await onTitle(context, request, titleId, { type: 'SetMarkers', ...body, at: request.at });
  return markersOf(titleId, state);
};

export const acceptIntroProposal = async (context: CommandContext, request: CommandRequest, titleId: string) => {
  const { state } = await onTitle(context, request, titleId, { type: 'AcceptIntroProposal', at: request.at });
  return markersOf(titleId, state);
};

export const setMarkersOperation = defineCommand({
  method: 'put',
  path: '/titles/:titleId/markers',
  summary: "Set a film's or an episode's intro and credits (the player offers to skip them)",
  access: ['content'],
  params: titleParams,
  body: setMarkersBody,
  response: markersAnswer,
  errors: {
    422:
      'A range ends before it starts, ends past the title’s encoded duration, or the intro ends after the credits ' +
      'start (InvalidMarkers, naming the field).',
  },
  handle: ({ context, params, body }, request) => setMarkers(context, request, params.titleId, body),
});

export const acceptIntroProposalOperation = defineCommand({
  method: 'post',
  path: '/titles/:titleId/intro/accept',
  summary: "Take intro detection's proposed intro as the episode's intro (its credits stay as they are)",
  access: ['content'],
  params: titleParams,
  body: z.strictObject({}),
  response: markersAnswer,
  errors: {
    409: 'Intro detection has proposed no intro for this title yet (NoIntroProposal); set it with PUT …/markers.',
    422: 'The proposed intro no longer fits the title, e.g. it ends after the credits start (InvalidMarkers).',
  },
  handle: ({ context, params }, request) => acceptIntroProposal(context, request, params.titleId),
});
