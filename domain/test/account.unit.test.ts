import { describe, expect, it } from 'vitest';
import {
  AccountAlreadyRegistered,
  type AccountEvent,
  AccountNotFound,
  accountDecider,
  KidsMaturityCapExceeded,
  PlaybackSessionExpired,
  ProfileAlreadyExists,
  ProfileLimitReached,
  ProfileNotFound,
  SamePlan,
  StreamLimitReached,
  SubscriptionAlreadyActive,
  SubscriptionNotActive,
} from '../src';
import { foldEvents } from '../src/decider';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(accountDecider);
const at = '2026-11-24T10:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();
const accountId = 'a1';

const registered: AccountEvent = {
  type: 'AccountRegistered',
  data: { accountId, email: 'ada@example.com', passwordHash: 'scrypt$x', at },
};
const subscribed = (plan: 'basic' | 'standard' | 'premium'): AccountEvent => ({
  type: 'SubscriptionStarted',
  data: { accountId, plan, at },
});
const profile = (profileId: string, name = profileId): AccountEvent => ({
  type: 'ProfileCreated',
  data: { accountId, profileId, name, kids: false, maturityLevel: '18+', at },
});
const lease = (sessionId: string, expiresAt = later(120)): AccountEvent => ({
  type: 'PlaybackLeaseGranted',
  data: { accountId, sessionId, profileId: 'p1', titleId: 't1', expiresAt, at },
});

describe('register', () => {
  it('registers a new account', () =>
    given([])
      .when({ type: 'RegisterAccount', accountId, email: 'ada@example.com', passwordHash: 'scrypt$x', at })
      .then([registered]));
  it('refuses to register the same account twice', () =>
    given([registered])
      .when({ type: 'RegisterAccount', accountId, email: 'b@example.com', passwordHash: 'h', at })
      .thenThrows(AccountAlreadyRegistered));
});

describe('rehash password', () => {
  const rehashed: AccountEvent = {
    type: 'AccountPasswordRehashed',
    data: { accountId, passwordHash: 'scrypt$131072$x', at: later(60) },
  };
  it('replaces the hash it was verified against with a stronger one', () =>
    given([registered])
      .when({ type: 'RehashPassword', previousHash: 'scrypt$x', passwordHash: 'scrypt$131072$x', at: later(60) })
      .then([rehashed]));
  it('does nothing when the hash was replaced meanwhile (two logins at once, or a new password)', () =>
    given([registered, rehashed])
      .when({ type: 'RehashPassword', previousHash: 'scrypt$x', passwordHash: 'scrypt$131072$y', at: later(61) })
      .thenNothing());
  it('logs in with the new hash once rehashed', () =>
    expect(foldEvents(accountDecider, [registered, rehashed])).toMatchObject({ passwordHash: 'scrypt$131072$x' }));
  it('refuses an account that does not exist', () =>
    given([])
      .when({ type: 'RehashPassword', previousHash: 'scrypt$x', passwordHash: 'scrypt$131072$x', at })
      .thenThrows(AccountNotFound));
});

describe('start subscription', () => {
  it('starts a subscription on a plan', () =>
    given([registered])
      .when({ type: 'StartSubscription', plan: 'standard', at })
      .then([subscribed('standard')]));
  it('restarts a cancelled subscription', () =>
    given([registered, subscribed('basic'), { type: 'SubscriptionCancelled', data: { accountId, at } }])
      .when({ type: 'StartSubscription', plan: 'premium', at })
      .then([subscribed('premium')]));
  it('refuses an account that does not exist', () =>
    given([]).when({ type: 'StartSubscription', plan: 'basic', at }).thenThrows(AccountNotFound));
  it('refuses a second subscription while one is active', () =>
    given([registered, subscribed('basic')])
      .when({ type: 'StartSubscription', plan: 'premium', at })
      .thenThrows(SubscriptionAlreadyActive, /change the plan/));
});

describe('change plan', () => {
  it('changes an active plan', () =>
    given([registered, subscribed('basic')])
      .when({ type: 'ChangePlan', plan: 'premium', at })
      .then([{ type: 'PlanChanged', data: { accountId, from: 'basic', to: 'premium', at } }]));
  it('refuses without an active subscription', () =>
    given([registered]).when({ type: 'ChangePlan', plan: 'premium', at }).thenThrows(SubscriptionNotActive));
  it('refuses the plan the account is already on', () =>
    given([registered, subscribed('standard')])
      .when({ type: 'ChangePlan', plan: 'standard', at })
      .thenThrows(SamePlan, /already on the standard plan/));
});

describe('cancel', () => {
  it('cancels an active subscription', () =>
    given([registered, subscribed('basic')])
      .when({ type: 'CancelSubscription', at })
      .then([{ type: 'SubscriptionCancelled', data: { accountId, at } }]));
  it('refuses to cancel when nothing is active', () =>
    given([registered]).when({ type: 'CancelSubscription', at }).thenThrows(SubscriptionNotActive));
});

describe('create profile', () => {
  it('creates a profile', () =>
    given([registered])
      .when({ type: 'CreateProfile', profileId: 'p1', name: ' Ada ', kids: true, at })
      .then([
        {
          type: 'ProfileCreated',
          data: { accountId, profileId: 'p1', name: 'Ada', kids: true, maturityLevel: '7+', at },
        },
      ]));
  it('allows five profiles and refuses the sixth', () => {
    const five = ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => profile(id));
    given([registered, ...five.slice(0, 4)])
      .when({ type: 'CreateProfile', profileId: 'p5', name: 'p5', kids: false, at })
      .then([five[4] as AccountEvent]);
    given([registered, ...five])
      .when({ type: 'CreateProfile', profileId: 'p6', name: 'p6', kids: false, at })
      .thenThrows(ProfileLimitReached, /at most 5 profiles/);
  });
  it('refuses a profile name already used, whatever its case', () =>
    given([registered, profile('p1', 'Ada')])
      .when({ type: 'CreateProfile', profileId: 'p2', name: 'ADA', kids: false, at })
      .thenThrows(ProfileAlreadyExists, /name/));
  it('refuses a profile id already used', () =>
    given([registered, profile('p1', 'Ada')])
      .when({ type: 'CreateProfile', profileId: 'p1', name: 'Bob', kids: false, at })
      .thenThrows(ProfileAlreadyExists, /id/));
  it('refuses on an account that does not exist', () =>
    given([]).when({ type: 'CreateProfile', profileId: 'p1', name: 'A', kids: false, at }).thenThrows(AccountNotFound));
});

describe('playback leases: the stream limit', () => {
  const grant = (sessionId: string, when = at) =>
    ({ type: 'GrantPlaybackLease', sessionId, profileId: 'p1', titleId: 't1', at: when }) as const;

  it('grants a lease for two minutes', () =>
    given([registered, subscribed('basic'), profile('p1')])
      .when(grant('s1'))
      .then([lease('s1')]));
  it('refuses a stream past the plan limit', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when(grant('s2'))
      .thenThrows(StreamLimitReached, /1 stream at a time/));
  it('gives standard two streams and refuses the third', () => {
    given([registered, subscribed('standard'), profile('p1'), lease('s1')])
      .when(grant('s2'))
      .then([lease('s2')]);
    given([registered, subscribed('standard'), profile('p1'), lease('s1'), lease('s2')])
      .when(grant('s3'))
      .thenThrows(StreamLimitReached, /2 streams/);
  });
  it('frees the slot of a session whose lease expired (a closed laptop)', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when(grant('s2', later(121)))
      .then([
        {
          type: 'PlaybackLeaseGranted',
          data: { accountId, sessionId: 's2', profileId: 'p1', titleId: 't1', expiresAt: later(241), at: later(121) },
        },
      ]));
  it('frees the slot of a released session', () =>
    given([
      registered,
      subscribed('basic'),
      profile('p1'),
      lease('s1'),
      { type: 'PlaybackLeaseReleased', data: { accountId, sessionId: 's1', at } },
    ])
      .when(grant('s2'))
      .then([lease('s2')]));
  it('does not take a second slot for a retried start of the same session', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when(grant('s1'))
      .thenNothing());
  it('refuses without an active subscription', () =>
    given([registered, profile('p1')])
      .when(grant('s1'))
      .thenThrows(SubscriptionNotActive));
  it('refuses a profile that is not on the account', () =>
    given([registered, subscribed('premium')])
      .when(grant('s1'))
      .thenThrows(ProfileNotFound));

  it('renews a lease that is close to expiry', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when({ type: 'RenewPlaybackLease', sessionId: 's1', at: later(90) })
      .then([
        { type: 'PlaybackLeaseRenewed', data: { accountId, sessionId: 's1', expiresAt: later(210), at: later(90) } },
      ]));
  it('does not renew a lease with plenty of time left', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when({ type: 'RenewPlaybackLease', sessionId: 's1', at: later(10) })
      .thenNothing());
  it('refuses to renew an expired lease: the session expired', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when({ type: 'RenewPlaybackLease', sessionId: 's1', at: later(130) })
      .thenThrows(PlaybackSessionExpired, /start playback again/));
  it('refuses to renew after the subscription was cancelled', () =>
    given([
      registered,
      subscribed('basic'),
      profile('p1'),
      lease('s1'),
      { type: 'SubscriptionCancelled', data: { accountId, at } },
    ])
      .when({ type: 'RenewPlaybackLease', sessionId: 's1', at: later(90) })
      .thenThrows(SubscriptionNotActive));
  it('releases a lease', () =>
    given([registered, subscribed('basic'), profile('p1'), lease('s1')])
      .when({ type: 'ReleasePlaybackLease', sessionId: 's1', at })
      .then([{ type: 'PlaybackLeaseReleased', data: { accountId, sessionId: 's1', at } }]));
  it('treats releasing an unknown session as already done', () =>
    given([registered, subscribed('basic'), profile('p1')])
      .when({ type: 'ReleasePlaybackLease', sessionId: 's9', at })
      .thenNothing());
});

describe('profile maturity levels', () => {
  const create = (options: { kids: boolean; maturityLevel?: 'all' | '7+' | '13+' | '16+' | '18+' }) =>
    ({ type: 'CreateProfile', profileId: 'p1', name: 'Ada', ...options, at }) as const;
  const created = (kids: boolean, maturityLevel: string): AccountEvent =>
    ({
      type: 'ProfileCreated',
      data: { accountId, profileId: 'p1', name: 'Ada', kids, maturityLevel, at },
    }) as AccountEvent;
  const levelSet = (maturityLevel: string): AccountEvent =>
    ({ type: 'ProfileMaturityLevelSet', data: { accountId, profileId: 'p1', maturityLevel, at } }) as AccountEvent;
  const setLevel = (maturityLevel: 'all' | '7+' | '13+' | '16+' | '18+', profileId = 'p1') =>
    ({ type: 'SetProfileMaturityLevel', profileId, maturityLevel, at }) as const;

  it('gives an adult profile 18+ and a kids profile 7+ unless a level is chosen', () => {
    given([registered])
      .when(create({ kids: false }))
      .then([created(false, '18+')]);
    given([registered])
      .when(create({ kids: true }))
      .then([created(true, '7+')]);
    given([registered])
      .when(create({ kids: false, maturityLevel: '13+' }))
      .then([created(false, '13+')]);
    given([registered])
      .when(create({ kids: true, maturityLevel: 'all' }))
      .then([created(true, 'all')]);
  });
  it('refuses a kids profile created above the kids cap', () =>
    given([registered])
      .when(create({ kids: true, maturityLevel: '13+' }))
      .thenThrows(KidsMaturityCapExceeded, /at most 7\+; 13\+ is above it/));
  it("reads a profile created before levels existed at its kind's default", () => {
    const old = { type: 'ProfileCreated', data: { accountId, profileId: 'p1', name: 'Ada', kids: true, at } };
    const state = foldEvents(accountDecider, [registered, old as AccountEvent]);
    expect(state.status === 'registered' && state.profiles[0]?.maturityLevel).toBe('7+');
  });
  it("lowers and raises an adult profile's level", () => {
    given([registered, created(false, '18+')])
      .when(setLevel('7+'))
      .then([levelSet('7+')]);
    given([registered, created(false, '18+'), levelSet('7+')])
      .when(setLevel('18+'))
      .then([levelSet('18+')]);
  });
  it('records the same level again as already done', () =>
    given([registered, created(false, '18+'), levelSet('13+')])
      .when(setLevel('13+'))
      .thenNothing());
  it('refuses to raise a kids profile above the cap, and lowers it within', () => {
    given([registered, created(true, '7+')])
      .when(setLevel('13+'))
      .thenThrows(KidsMaturityCapExceeded);
    given([registered, created(true, '7+')])
      .when(setLevel('all'))
      .then([levelSet('all')]);
  });
  it('refuses a profile that is not on the account', () =>
    given([registered, created(false, '18+')])
      .when(setLevel('7+', 'p2'))
      .thenThrows(ProfileNotFound));
});

describe('profile languages', () => {
  const { given } = deciderSpec(accountDecider);
  const accountId = 'a1';
  const at = '2026-11-30T10:00:00.000Z';
  const registered: AccountEvent = {
    type: 'AccountRegistered',
    data: { accountId, email: 'ada@example.com', passwordHash: 'hash', at },
  };
  const created: AccountEvent = {
    type: 'ProfileCreated',
    data: { accountId, profileId: 'p1', name: 'Ada', kids: false, maturityLevel: '18+', at },
  };
  const set = (audioLanguage: string | null, captionLanguage: string | null) =>
    ({ type: 'SetProfileLanguages', profileId: 'p1', audioLanguage, captionLanguage, at }) as const;
  const languagesSet = (audioLanguage: string | null, captionLanguage: string | null): AccountEvent => ({
    type: 'ProfileLanguagesSet',
    data: { accountId, profileId: 'p1', audioLanguage, captionLanguage, at },
  });

  it('sets the languages a profile starts playback in', () =>
    given([registered, created])
      .when(set('fr', 'en'))
      .then([languagesSet('fr', 'en')]));
  it('sets nothing when they are already so', () =>
    given([registered, created, languagesSet('fr', null)])
      .when(set('fr', null))
      .thenNothing());
  it('refuses a profile the account does not have', () =>
    given([registered]).when(set('fr', null)).thenThrows(ProfileNotFound));
});
