import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';
import { languageTag } from '../language/language';
import { planIds } from '../plans';
import { maturityRating } from '../title/title-events';

const plan = z.enum(planIds);

export const AccountRegistered = eventSchema(
  'AccountRegistered',
  z.object({ accountId: id, email: z.email(), passwordHash: z.string().min(1), at: isoTime }),
);
/** The password's hash, made again with stronger parameters at a successful login; the password is the same. */
export const AccountPasswordRehashed = eventSchema(
  'AccountPasswordRehashed',
  z.object({ accountId: id, passwordHash: z.string().min(1), at: isoTime }),
);
export const SubscriptionStarted = eventSchema('SubscriptionStarted', z.object({ accountId: id, plan, at: isoTime }));
export const PlanChanged = eventSchema('PlanChanged', z.object({ accountId: id, from: plan, to: plan, at: isoTime }));
export const SubscriptionCancelled = eventSchema('SubscriptionCancelled', z.object({ accountId: id, at: isoTime }));
/** `maturityLevel` is absent from profiles made before levels existed: theirs is `defaultMaturityLevel(kids)`. */
export const ProfileCreated = eventSchema(
  'ProfileCreated',
  z.object({
    accountId: id,
    profileId: id,
    name: z.string().min(1).max(50),
    kids: z.boolean(),
    maturityLevel: maturityRating.optional(),
    at: isoTime,
  }),
);
/** The highest rating a profile may watch; a kids profile's is at most `kidsMaturityCap`. */
export const ProfileMaturityLevelSet = eventSchema(
  'ProfileMaturityLevelSet',
  z.object({ accountId: id, profileId: id, maturityLevel: maturityRating, at: isoTime }),
);
/**
 * The languages a profile's playback starts in: its audio (null: the title's original) and its
 * captions (null: off). Set from the profile page, and each time the viewer picks a track.
 */
export const ProfileLanguagesSet = eventSchema(
  'ProfileLanguagesSet',
  z.object({
    accountId: id,
    profileId: id,
    audioLanguage: languageTag.nullable(),
    captionLanguage: languageTag.nullable(),
    at: isoTime,
  }),
);
/** A playback session took one of the plan's stream slots until `expiresAt`. */
export const PlaybackLeaseGranted = eventSchema(
  'PlaybackLeaseGranted',
  z.object({ accountId: id, sessionId: id, profileId: id, titleId: id, expiresAt: isoTime, at: isoTime }),
);
export const PlaybackLeaseRenewed = eventSchema(
  'PlaybackLeaseRenewed',
  z.object({ accountId: id, sessionId: id, expiresAt: isoTime, at: isoTime }),
);
export const PlaybackLeaseReleased = eventSchema(
  'PlaybackLeaseReleased',
  z.object({ accountId: id, sessionId: id, at: isoTime }),
);

export const accountEventSchemas = [
  AccountRegistered,
  AccountPasswordRehashed,
  SubscriptionStarted,
  PlanChanged,
  SubscriptionCancelled,
  ProfileCreated,
  ProfileMaturityLevelSet,
  ProfileLanguagesSet,
  PlaybackLeaseGranted,
  PlaybackLeaseRenewed,
  PlaybackLeaseReleased,
] as const;

export type AccountEvent = EventOf<(typeof accountEventSchemas)[number]>;
