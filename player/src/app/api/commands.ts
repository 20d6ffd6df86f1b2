/** The command API, as the player calls it (through /api/commands). */

import type { QoeReport } from '../watch/qoe';
import { apiRequest, type Credentials, commandApi, newIdempotencyKey } from './http';
import type { MaturityRating, PlanId, Profile, SignedIn, StartedPlayback } from './types';

const command = <T>(path: string, body: unknown, credentials: Credentials, options: { keepalive?: boolean } = {}) =>
  apiRequest<T>(commandApi, path, {
    method: 'POST',
    body,
    credentials,
    idempotencyKey: newIdempotencyKey(),
    ...options,
  });

export const signUp = (body: { email: string; password: string; plan: PlanId }) =>
  command<SignedIn>('/accounts', body, null);

export const logIn = (body: { email: string; password: string }) => command<SignedIn>('/login', body, null);

export const createProfile = (token: string, accountId: string, body: { name: string; kids: boolean }) =>
  command<Profile & { accountId: string }>(`/accounts/${encodeURIComponent(accountId)}/profiles`, body, { token });

export const startPlayback = (token: string, body: { profileId: string; titleId: string }) =>
  command<StartedPlayback>('/playback', body, { token });

type Position = { profileId: string; positionSeconds: number };
const session = (sessionId: string, action: string) => `/playback/${encodeURIComponent(sessionId)}/${action}`;

export const sendHeartbeat = (
  token: string,
  sessionId: string,
  body: Position,
  options: { keepalive?: boolean } = {},
) =>
  command<{ sessionId: string; positionSeconds: number; leaseExpiresAt?: string }>(
    session(sessionId, 'progress'),
    body,
    { token },
    options,
  );

export const reportQoe = (
  token: string,
  sessionId: string,
  body: QoeReport & { profileId: string; edgeId: string | null },
  options: { keepalive?: boolean } = {},
) => command<{ recorded: true }>(session(sessionId, 'qoe'), body, { token }, options);

export const stopPlayback = (token: string, sessionId: string, body: Position, options: { keepalive?: boolean } = {}) =>
  command<{ stopped: true }>(session(sessionId, 'stop'), body, { token }, options);

export type NewTitle = {
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  maturityRating: MaturityRating;
};

export const createTitle = (apiKey: string, body: NewTitle) =>
  command<NewTitle & { titleId: string }>('/titles', body, { apiKey });

export const publishTitle = (apiKey: string, titleId: string) =>
  command<{ titleId: string }>(`/titles/${encodeURIComponent(titleId)}/publish`, {}, { apiKey });

export const unpublishTitle = (apiKey: string, titleId: string) =>
  command<{ titleId: string }>(`/titles/${encodeURIComponent(titleId)}/unpublish`, {}, { apiKey });

/** Where tus-js-client creates uploads; the player's server passes it to the command API's /titles/uploads. */
export const uploadsEndpoint = `${commandApi}/titles/uploads`;
