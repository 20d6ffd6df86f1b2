import { DomainError } from '../errors';
import type { PlanId } from '../plans';

export class AccountNotFound extends DomainError {
  readonly code = 'AccountNotFound';
  readonly kind = 'not_found';
  constructor(accountId: string) {
    super(`There is no account ${accountId}.`, { accountId });
  }
}
export class AccountAlreadyRegistered extends DomainError {
  readonly code = 'AccountAlreadyRegistered';
  readonly kind = 'conflict';
  constructor(accountId: string) {
    super(`Account ${accountId} is already registered.`, { accountId });
  }
}
export class SubscriptionAlreadyActive extends DomainError {
  readonly code = 'SubscriptionAlreadyActive';
  readonly kind = 'conflict';
  constructor(plan: PlanId) {
    super(`The subscription is already active on the ${plan} plan; change the plan instead.`, { plan });
  }
}
export class SubscriptionNotActive extends DomainError {
  readonly code = 'SubscriptionNotActive';
  readonly kind = 'conflict';
  constructor() {
    super('The account has no active subscription; start one to watch.');
  }
}
export class SamePlan extends DomainError {
  readonly code = 'SamePlan';
  readonly kind = 'conflict';
  constructor(plan: PlanId) {
    super(`The account is already on the ${plan} plan.`, { plan });
  }
}
export class ProfileLimitReached extends DomainError {
  readonly code = 'ProfileLimitReached';
  readonly kind = 'conflict';
  constructor(limit: number) {
    super(`An account can have at most ${limit} profiles; remove one first.`, { limit });
  }
}
export class ProfileAlreadyExists extends DomainError {
  readonly code = 'ProfileAlreadyExists';
  readonly kind = 'conflict';
  constructor(field: 'id' | 'name', value: string) {
    super(`A profile with that ${field} (${value}) already exists on this account.`, { field, value });
  }
}
export class ProfileNotFound extends DomainError {
  readonly code = 'ProfileNotFound';
  readonly kind = 'not_found';
  constructor(profileId: string) {
    super(`There is no profile ${profileId} on this account.`, { profileId });
  }
}
export class StreamLimitReached extends DomainError {
  readonly code = 'StreamLimitReached';
  readonly kind = 'conflict';
  constructor(plan: PlanId, maxStreams: number) {
    super(
      `Your ${plan} plan allows ${maxStreams} stream${maxStreams === 1 ? '' : 's'} at a time, and ${maxStreams === 1 ? 'it is' : 'all are'} in use. Stop playback on another device or upgrade your plan.`,
      { plan, maxStreams },
    );
  }
}
export class PlaybackSessionExpired extends DomainError {
  readonly code = 'PlaybackSessionExpired';
  readonly kind = 'conflict';
  constructor(sessionId: string) {
    super('This playback session has expired after too long without a heartbeat; start playback again.', {
      sessionId,
    });
  }
}
