import { NotFound } from '@marquee/platform';
import { type AccountProfile, accounts } from '@marquee/read-models';
import type { Views } from '../view-reader';

/**
 * The caller's profile. One that is not on the caller's account is refused with the same 404 as
 * one that does not exist, so nobody can learn which profile ids other accounts have.
 */
export const ownProfile = async (views: Views, accountId: string, profileId: string): Promise<AccountProfile> => {
  const account = await views(accounts).get(accountId);
  const profile = account?.profiles.find((p) => p.profileId === profileId);
  if (!profile) throw new NotFound(`Your account has no profile "${profileId}".`, { code: 'ProfileNotFound' });
  return profile;
};
