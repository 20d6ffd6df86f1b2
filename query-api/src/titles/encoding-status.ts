import { encodingJobStatus, ServiceUnavailable } from '@marquee/platform';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { idParam } from '../query-parameters';

export const getEncodingStatus = defineQueryOperation({
  method: 'get',
  path: '/titles/:titleId/encoding',
  summary: "A title's encodings in the farm: state, progress (percent, fps, speed, ETA) and queue position",
  description: 'Newest first; a waiting encoding has its place in the queue (1 is next), a running one its progress.',
  access: ['content'],
  params: z.strictObject({ titleId: idParam('title') }),
  response: z.object({ titleId: z.string(), encodings: z.array(encodingJobStatus) }),
  errors: { 503: 'The encoding queue is not reachable from this API.' },
  handle: async ({ params, context }) => {
    if (!context.encodings) throw new ServiceUnavailable('This query API has no encoding queue to ask.');
    return { titleId: params.titleId, encodings: await context.encodings.ofTitle(params.titleId) };
  },
});
