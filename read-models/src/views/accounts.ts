import type { PlanId } from '@marquee/domain';
import { defineProjection } from '../projection';

/** An account as its owner sees it. The password hash never reaches a view. */
export type AccountView = {
  accountId: string;
  email: string;
  plan: PlanId | null;
  status: 'registered' | 'active' | 'cancelled';
  profiles: { profileId: string; name: string; kids: boolean }[];
  registeredAt: string;
  updatedAt: string;
};

export const accounts = defineProjection<
  AccountView,
  'AccountRegistered' | 'SubscriptionStarted' | 'PlanChanged' | 'SubscriptionCancelled' | 'ProfileCreated'
>({
  name: 'accounts',
  version: 1,
  eventTypes: ['AccountRegistered', 'SubscriptionStarted', 'PlanChanged', 'SubscriptionCancelled', 'ProfileCreated'],
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
        return { ...account, profiles: [...account.profiles, { profileId, name, kids }], updatedAt: at };
      }
    }
  },
});
