import { defaultMaturityLevel, maturityRating, planIds } from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';

export const profile = z.object({ profileId: z.string(), name: z.string(), kids: z.boolean() });

/** A profile as its account's view keeps it: with the highest rating it may watch. */
export const accountProfile = profile.extend({
  maturityLevel: maturityRating.describe('The highest maturity rating this profile may see and play.'),
  audioLanguage: z
    .string()
    .nullable()
    .describe("The audio language playback starts in when the title has it; null for the title's original audio."),
  captionLanguage: z
    .string()
    .nullable()
    .describe('The captions playback starts with when the title has them; null for captions off.'),
});
export type AccountProfile = z.infer<typeof accountProfile>;

/** An account as its owner sees it. The password hash never reaches a view. */
export const accountView = z.object({
  accountId: z.string(),
  email: z.string(),
  plan: z.enum(planIds).nullable(),
  status: z.enum(['registered', 'active', 'cancelled']),
  profiles: z.array(accountProfile),
  registeredAt: z.string(),
  updatedAt: z.string(),
});
export type AccountView = z.infer<typeof accountView>;

/** A new profile's languages: the title's original audio, captions off. */
const newProfile = { audioLanguage: null, captionLanguage: null };

export const accounts = defineProjection<
  AccountView,
  | 'AccountRegistered'
  | 'SubscriptionStarted'
  | 'PlanChanged'
  | 'SubscriptionCancelled'
  | 'ProfileCreated'
  | 'ProfileMaturityLevelSet'
  | 'ProfileLanguagesSet'
>({
  name: 'accounts',
  version: 3,
  eventTypes: [
    'AccountRegistered',
    'SubscriptionStarted',
    'PlanChanged',
    'SubscriptionCancelled',
    'ProfileCreated',
    'ProfileMaturityLevelSet',
    'ProfileLanguagesSet',
  ],
  collection: { indexes: { email: 'value', status: 'value', plan: 'value' }, sortFields: ['registeredAt'] },
  key: (event) => event.data.accountId,
  evolve: (account, event) => {
    const { at } = event.data;
    if (event.type === 'AccountRegistered') {
      const { accountId, email } = event.data;
      return { accountId, email, plan: null, status: 'registered', profiles: [], registeredAt: at, updatedAt: at };
    }
    if (!account) return null;
    switch (event.type) {
      case 'SubscriptionStarted':
        return { ...account, plan: event.data.plan, status: 'active', updatedAt: at };
      case 'PlanChanged':
        return { ...account, plan: event.data.to, updatedAt: at };
      case 'SubscriptionCancelled':
        return { ...account, status: 'cancelled', updatedAt: at };
      case 'ProfileCreated': {
        const { profileId, name, kids } = event.data;
        const maturityLevel = event.data.maturityLevel ?? defaultMaturityLevel(kids);
        return {
          ...account,
          profiles: [...account.profiles, { ...newProfile, profileId, name, kids, maturityLevel }],
          updatedAt: at,
        };
      }
      case 'ProfileMaturityLevelSet': {
        const { profileId, maturityLevel } = event.data;
        const profiles = account.profiles.map((p) => (p.profileId === profileId ? { ...p, maturityLevel } : p));
        return { ...account, profiles, updatedAt: at };
      }
      case 'ProfileLanguagesSet': {
        const { profileId, audioLanguage, captionLanguage } = event.data;
        const profiles = account.profiles.map((p) =>
          p.profileId === profileId ? { ...p, audioLanguage, captionLanguage } : p,
        );
        return { ...account, profiles, updatedAt: at };
      }
    }
  },
});
