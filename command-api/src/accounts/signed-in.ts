import { planIds } from '@marquee/domain';
import { z } from 'zod';

/** What sign-up and login answer: the account, and a token to act as it. */
export const signedIn = z.object({
  accountId: z.string(),
  plan: z.enum(planIds),
  token: z.string().describe('An access token: send it as `Authorization: Bearer <token>`.'),
});
