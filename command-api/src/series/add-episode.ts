import {
  type EpisodePlace,
  episodePlace,
  SeriesNotFound,
  seriesDecider,
  streamName,
  type TitleCommand,
  titleDecider,
  titleMetadata,
} from '@marquee/domain';
import { handleCommand } from '@marquee/platform';
import { z } from 'zod';
import { defineCommand } from '../command-operation';
import { appendContext, type CommandRequest, commandOptions, newId } from '../command-request';
import type { CommandContext } from '../context';
import { seriesParams } from './series-commands';

const titleFields = titleMetadata.shape;
const placeFields = episodePlace.shape;
export const addEpisodeBody = z.strictObject({
  season: placeFields.season,
  episode: placeFields.episode,
  name: titleFields.name,
  synopsis: titleFields.synopsis.optional().describe("The series' synopsis when absent."),
  genres: titleFields.genres.optional().describe("The series' genres when absent."),
  year: titleFields.year.optional().describe("The series' year when absent."),
  maturityRating: titleFields.maturityRating
    .optional()
    .describe("The series' rating when absent; viewers are held to the stricter of this and the series'."),
});

const samePlace = (a: EpisodePlace | null, b: EpisodePlace) =>
  a !== null && a.seriesId === b.seriesId && a.season === b.season && a.episode === b.episode;

/**
 * Adds an episode: the series reserves the place (its stream is the boundary of which title
 * holds which place, so it is appended first, re-decided if another episode won the race), and
 * the episode's own title stream is created beside it. The title's id derives from the request's
 * Idempotency-Key, so a retry (even one run again after a crash between the two appends) finds
 * its place and its title already there and writes nothing new.
 */
export const addEpisode = async (
  context: CommandContext,
  request: CommandRequest,
  seriesId: string,
  body: z.output<typeof addEpisodeBody>,
) => {
  const titleId = newId(request, 'title');
  const { season, episode, ...fields } = body;
  const place = { seriesId, season, episode };
  const titleStream = streamName('title', titleId);
  // The episode's title as last decided, for onIncomplete.
  let creating: TitleCommand | undefined;
  await handleCommand(
    context.eventStore,
    {
      series: {
        streamName: streamName('series', seriesId),
        decider: seriesDecider,
        append: appendContext(request, 'AddEpisode'),
      },
      title: { streamName: titleStream, decider: titleDecider, append: appendContext(request, 'CreateTitle') },
    },
    ({ series, title }) => {
      if (series.status !== 'created') throw new SeriesNotFound(seriesId);
      const reserved = seriesDecider.decide({ type: 'AddEpisode', titleId, season, episode, at: request.at }, series);
      // A retried request finds its title already created in this place.
      if (title.status === 'created' && samePlace(title.episodeOf, place)) return { series: reserved, title: [] };
      creating = {
        type: 'CreateTitle',
        titleId,
        episodeOf: place,
        ...series.metadata,
        ...definedFields(fields),
        at: request.at,
      };
      return { series: reserved, title: titleDecider.decide(creating, title) };
    },
    {
      retries: 3,
      cache: context.aggregates,
      // The place is the series' now: finish what it was reserved for. When even that fails, a
      // retry with the same Idempotency-Key finds the place its own and creates the title.
      onIncomplete: async (decided) => {
        if (!creating || (decided.title ?? []).length === 0) return;
        await handleCommand(
          context.eventStore,
          titleStream,
          titleDecider,
          creating,
          commandOptions(context, request, 'CreateTitle'),
        ).catch(() => {});
      },
    },
  );
  return { titleId, seriesId, season, episode };
};

const definedFields = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

export const addEpisodeOperation = defineCommand({
  method: 'post',
  path: '/series/:seriesId/episodes',
  summary: 'Add an episode: a new title in a season’s numbered place, its missing metadata taken from the series',
  description:
    'The episode is a title like a film: upload its source, and publish it, with the /titles/{titleId}/… endpoints. Viewers see it while both it and its series are published.',
  access: ['content'],
  params: seriesParams,
  body: addEpisodeBody,
  successStatus: 201,
  response: z.object({ titleId: z.string(), seriesId: z.string(), season: z.number(), episode: z.number() }),
  errors: {
    404: 'There is no such series (SeriesNotFound).',
    409: 'Another title already holds that season and episode number (EpisodePlaceTaken).',
  },
  handle: ({ context, params, body }, request) => addEpisode(context, request, params.seriesId, body),
});
