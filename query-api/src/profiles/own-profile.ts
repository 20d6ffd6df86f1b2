import { NotFound } from '@marquee/platform';
import { accounts } from '@marquee/read-models';
import type { Views } from '../view-reader';

/**
 * Refuses a profile that is not on the caller's account with the same 404 as one that does
 * not exist, so nobody can learn which profile ids other accounts have.
 */
export const assertOwnProfile = async (views: Views, accountId: string, profileId: string) => {
  const account = await views(accounts).get(accountId);
  if (!account?.profiles.some((profile) => profile.profileId === profileId))
    throw new NotFound(`Your account has no profile "${profileId}".`, { code: 'ProfileNotFound' });
};
