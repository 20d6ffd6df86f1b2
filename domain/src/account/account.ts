import type { Decider } from '../decider';
import { defaultMaturityLevel, kidsMaturityCap, maturityRank } from '../maturity/maturity';
import { KidsMaturityCapExceeded } from '../maturity/maturity-errors';
import { type Plan, type PlanId, plans } from '../plans';
import type { MaturityRating } from '../title/title-events';
import {
  AccountAlreadyRegistered,
  AccountNotFound,
  PlaybackSessionExpired,
  ProfileAlreadyExists,
  ProfileLimitReached,
  ProfileNotFound,
  SamePlan,
  StreamLimitReached,
  SubscriptionAlreadyActive,
  SubscriptionNotActive,
} from './account-errors';
import type { AccountEvent } from './account-events';

export const maxProfilesPerAccount = 5;
/** A session with no heartbeat for this long gives its stream slot back (a closed laptop). */
export const playbackLeaseSeconds = 120;
/** Heartbeats renew a lease only once it is this close to expiry, to keep the account stream short. */
export const playbackLeaseRenewBelowSeconds = 60;

export type AccountCommand =
  | { type: 'RegisterAccount'; accountId: string; email: string; passwordHash: string; at: string }
  /** `previousHash` is the hash the password was just verified against: a hash replaced since is left alone. */
  | { type: 'RehashPassword'; previousHash: string; passwordHash: string; at: string }
  | { type: 'StartSubscription'; plan: PlanId; at: string }
  | { type: 'ChangePlan'; plan: PlanId; at: string }
  | { type: 'CancelSubscription'; at: string }
  | {
      type: 'CreateProfile';
      profileId: string;
      name: string;
      kids: boolean;
      /** Defaults to `defaultMaturityLevel(kids)`. */
      maturityLevel?: MaturityRating;
      at: string;
    }
  | { type: 'SetProfileMaturityLevel'; profileId: string; maturityLevel: MaturityRating; at: string }
  | {
      type: 'SetProfileLanguages';
      profileId: string;
      audioLanguage: string | null;
      captionLanguage: string | null;
      at: string;
    }
  | { type: 'GrantPlaybackLease'; sessionId: string; profileId: string; titleId: string; at: string }
  | { type: 'RenewPlaybackLease'; sessionId: string; at: string }
  | { type: 'ReleasePlaybackLease'; sessionId: string; at: string };

export type Profile = {
  profileId: string;
  name: string;
  kids: boolean;
  maturityLevel: MaturityRating;
  /** Null: the title's original audio. */
  audioLanguage: string | null;
  /** Null: captions off. */
  captionLanguage: string | null;
};
export type PlaybackLease = { sessionId: string; profileId: string; titleId: string; expiresAt: string };

export type AccountState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      accountId: string;
      email: string;
      passwordHash: string;
      subscription: 'none' | 'active' | 'cancelled';
      plan: PlanId | null;
      profiles: Profile[];
      leases: PlaybackLease[];
    };

type Registered = Extract<AccountState, { status: 'registered' }>;

const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const isLive = (lease: PlaybackLease, at: string) => Date.parse(lease.expiresAt) > Date.parse(at);

/** The leases still holding a stream slot at `at`. */
export const liveLeases = (state: AccountState, at: string): PlaybackLease[] =>
  state.status === 'registered' ? state.leases.filter((lease) => isLive(lease, at)) : [];

export const activePlan = (state: AccountState): Plan | null =>
  state.status === 'registered' && state.subscription === 'active' && state.plan ? plans[state.plan] : null;

const registered = (state: AccountState): Registered => {
  if (state.status !== 'registered') throw new AccountNotFound();
  return state;
};

const subscribedPlan = (state: Registered): Plan => {
  const plan = activePlan(state);
  if (!plan) throw new SubscriptionNotActive();
  return plan;
};

/** A kids profile cannot be given a level above the kids cap, at creation or later. */
const withinKidsCap = (kids: boolean, level: MaturityRating): MaturityRating => {
  if (kids && maturityRank(level) > maturityRank(kidsMaturityCap))
    throw new KidsMaturityCapExceeded(level, kidsMaturityCap);
  return level;
};

const decide = (command: AccountCommand, state: AccountState): AccountEvent[] => {
  if (command.type === 'RegisterAccount') {
    if (state.status === 'registered') throw new AccountAlreadyRegistered(state.accountId);
    const { accountId, email, passwordHash, at } = command;
    return [{ type: 'AccountRegistered', data: { accountId, email, passwordHash, at } }];
  }
  const account = registered(state);
  const { accountId } = account;
  switch (command.type) {
    case 'RehashPassword': {
      if (account.passwordHash !== command.previousHash) return [];
      const { passwordHash, at } = command;
      return [{ type: 'AccountPasswordRehashed', data: { accountId, passwordHash, at } }];
    }
    case 'StartSubscription': {
      if (account.subscription === 'active' && account.plan) throw new SubscriptionAlreadyActive(account.plan);
      return [{ type: 'SubscriptionStarted', data: { accountId, plan: command.plan, at: command.at } }];
    }
    case 'ChangePlan': {
      const plan = subscribedPlan(account);
      if (plan.id === command.plan) throw new SamePlan(plan.id);
      return [{ type: 'PlanChanged', data: { accountId, from: plan.id, to: command.plan, at: command.at } }];
    }
    case 'CancelSubscription': {
      subscribedPlan(account);
      return [{ type: 'SubscriptionCancelled', data: { accountId, at: command.at } }];
    }
    case 'CreateProfile': {
      if (account.profiles.length >= maxProfilesPerAccount) throw new ProfileLimitReached(maxProfilesPerAccount);
      if (account.profiles.some((p) => p.profileId === command.profileId))
        throw new ProfileAlreadyExists('id', command.profileId);
      const name = command.name.trim();
      if (account.profiles.some((p) => p.name.toLowerCase() === name.toLowerCase()))
        throw new ProfileAlreadyExists('name', name);
      const { profileId, kids, at } = command;
      const maturityLevel = withinKidsCap(kids, command.maturityLevel ?? defaultMaturityLevel(kids));
      return [{ type: 'ProfileCreated', data: { accountId, profileId, name, kids, maturityLevel, at } }];
    }
    case 'SetProfileMaturityLevel': {
      const profile = account.profiles.find((p) => p.profileId === command.profileId);
      if (!profile) throw new ProfileNotFound(command.profileId);
      const maturityLevel = withinKidsCap(profile.kids, command.maturityLevel);
      if (maturityLevel === profile.maturityLevel) return [];
      const { profileId, at } = command;
      return [{ type: 'ProfileMaturityLevelSet', data: { accountId, profileId, maturityLevel, at } }];
    }
    case 'SetProfileLanguages': {
      const profile = account.profiles.find((p) => p.profileId === command.profileId);
      if (!profile) throw new ProfileNotFound(command.profileId);
      const { profileId, audioLanguage, captionLanguage, at } = command;
      if (profile.audioLanguage === audioLanguage && profile.captionLanguage === captionLanguage) return [];
      return [{ type: 'ProfileLanguagesSet', data: { accountId, profileId, audioLanguage, captionLanguage, at } }];
    }
    case 'GrantPlaybackLease': {
      const plan = subscribedPlan(account);
      if (!account.profiles.some((p) => p.profileId === command.profileId))
        throw new ProfileNotFound(command.profileId);
      const { sessionId, profileId, titleId, at } = command;
      const live = liveLeases(account, at);
      // Granting the same session twice (a retried start) keeps its one slot.
      if (live.some((lease) => lease.sessionId === sessionId)) return [];
      if (live.length >= plan.maxStreams) throw new StreamLimitReached(plan.id, plan.maxStreams);
      const expiresAt = addSeconds(at, playbackLeaseSeconds);
      return [{ type: 'PlaybackLeaseGranted', data: { accountId, sessionId, profileId, titleId, expiresAt, at } }];
    }
    case 'RenewPlaybackLease': {
      subscribedPlan(account);
      const lease = liveLeases(account, command.at).find((l) => l.sessionId === command.sessionId);
      if (!lease) throw new PlaybackSessionExpired(command.sessionId);
      const remaining = (Date.parse(lease.expiresAt) - Date.parse(command.at)) / 1000;
      if (remaining > playbackLeaseRenewBelowSeconds) return [];
      const expiresAt = addSeconds(command.at, playbackLeaseSeconds);
      return [
        { type: 'PlaybackLeaseRenewed', data: { accountId, sessionId: command.sessionId, expiresAt, at: command.at } },
      ];
    }
    case 'ReleasePlaybackLease': {
      // Releasing a lease that already expired or was released is a no-op: stop is safe to retry.
      if (!account.leases.some((l) => l.sessionId === command.sessionId)) return [];
      return [{ type: 'PlaybackLeaseReleased', data: { accountId, sessionId: command.sessionId, at: command.at } }];
    }
  }
};

const evolve = (state: AccountState, event: AccountEvent): AccountState => {
  if (event.type === 'AccountRegistered') {
    const { accountId, email, passwordHash } = event.data;
    return {
      status: 'registered',
      accountId,
      email,
      passwordHash,
      subscription: 'none',
      plan: null,
      profiles: [],
      leases: [],
    };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'AccountPasswordRehashed':
      return { ...state, passwordHash: event.data.passwordHash };
    case 'SubscriptionStarted':
      return { ...state, subscription: 'active', plan: event.data.plan };
    case 'PlanChanged':
      return { ...state, plan: event.data.to };
    case 'SubscriptionCancelled':
      return { ...state, subscription: 'cancelled', leases: [] };
    case 'ProfileCreated': {
      const { profileId, name, kids } = event.data;
      const maturityLevel = event.data.maturityLevel ?? defaultMaturityLevel(kids);
      const profile = { profileId, name, kids, maturityLevel, audioLanguage: null, captionLanguage: null };
      return { ...state, profiles: [...state.profiles, profile] };
    }
    case 'ProfileMaturityLevelSet': {
      const { profileId, maturityLevel } = event.data;
      return {
        ...state,
        profiles: state.profiles.map((p) => (p.profileId === profileId ? { ...p, maturityLevel } : p)),
      };
    }
    case 'ProfileLanguagesSet': {
      const { profileId, audioLanguage, captionLanguage } = event.data;
      return {
        ...state,
        profiles: state.profiles.map((p) => (p.profileId === profileId ? { ...p, audioLanguage, captionLanguage } : p)),
      };
    }
    case 'PlaybackLeaseGranted': {
      const { sessionId, profileId, titleId, expiresAt, at } = event.data;
      // Expired leases are dropped as new ones come in, so the state stays small.
      const leases = state.leases.filter((l) => isLive(l, at) && l.sessionId !== sessionId);
      return { ...state, leases: [...leases, { sessionId, profileId, titleId, expiresAt }] };
    }
    case 'PlaybackLeaseRenewed': {
      const { sessionId, expiresAt } = event.data;
      return { ...state, leases: state.leases.map((l) => (l.sessionId === sessionId ? { ...l, expiresAt } : l)) };
    }
    case 'PlaybackLeaseReleased':
      return { ...state, leases: state.leases.filter((l) => l.sessionId !== event.data.sessionId) };
  }
};

export const accountDecider: Decider<AccountCommand, AccountState, AccountEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'unregistered' }),
};
