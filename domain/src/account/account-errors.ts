import { refusal } from '../errors';
import type { PlanId } from '../plans';

export class AccountNotFound extends refusal('not_found', (accountId?: string) => [
  accountId ? `There is no account ${accountId}.` : 'There is no such account.',
  { accountId: accountId ?? null },
]) {}
export class AccountAlreadyRegistered extends refusal('conflict', (accountId: string) => [
  `Account ${accountId} is already registered.`,
  { accountId },
]) {}
export class SubscriptionAlreadyActive extends refusal('conflict', (plan: PlanId) => [
  `The subscription is already active on the ${plan} plan; change the plan instead.`,
  { plan },
]) {}
export class SubscriptionNotActive extends refusal('conflict', () => [
  'The account has no active subscription; start one to watch.',
]) {}
export class SamePlan extends refusal('conflict', (plan: PlanId) => [
  `The account is already on the ${plan} plan.`,
  { plan },
]) {}
export class ProfileLimitReached extends refusal('conflict', (limit: number) => [
  `An account can have at most ${limit} profiles; remove one first.`,
  { limit },
]) {}
export class ProfileAlreadyExists extends refusal('conflict', (field: 'id' | 'name', value: string) => [
  `A profile with that ${field} (${value}) already exists on this account.`,
  { field, value },
]) {}
export class ProfileNotFound extends refusal('not_found', (profileId: string) => [
  `There is no profile ${profileId} on this account.`,
  { profileId },
]) {}
export class StreamLimitReached extends refusal('conflict', (plan: PlanId, maxStreams: number) => [
  `Your ${plan} plan allows ${maxStreams} stream${maxStreams === 1 ? '' : 's'} at a time, and ${maxStreams === 1 ? 'it is' : 'all are'} in use. Stop playback on another device or upgrade your plan.`,
  { plan, maxStreams },
]) {}
export class PlaybackSessionExpired extends refusal('conflict', (sessionId: string) => [
  'This playback session has expired after too long without a heartbeat; start playback again.',
  { sessionId },
]) {}
