/** The command API, as the player calls it (through /api/commands). */

import { apiRequest, type Credentials, commandApi, newIdempotencyKey } from './http';
import type {
  CommandAnswer,
  HeartbeatAnswer,
  HeartbeatBody,
  LogInBody,
  MarkersBody,
  MaturityLevelBody,
  NewEpisode,
  NewProfile,
  NewSeries,
  NewTitle,
  PlaybackStarted,
  ProfileLanguagesBody,
  QoeBody,
  SignUpBody,
  StartPlaybackBody,
  StopPlaybackBody,
} from './types';

const command = <T>(
  path: string,
  body: unknown,
  credentials: Credentials,
  options: { keepalive?: boolean; method?: 'POST' | 'PUT' } = {},
) =>
  apiRequest<T>(commandApi, path, {
    method: 'POST',
    body,
    credentials,
    idempotencyKey: newIdempotencyKey(),
    ...options,
  });

export const signUp = (body: SignUpBody) => command<CommandAnswer<'postAccounts'>>('/accounts', body, null);

export const logIn = (body: LogInBody) => command<CommandAnswer<'postLogin'>>('/login', body, null);

export const createProfile = (token: string, accountId: string, body: NewProfile) =>
  command<CommandAnswer<'postAccountsByaccountIdProfiles'>>(
    `/accounts/${encodeURIComponent(accountId)}/profiles`,
    body,
    { token },
  );

export const setProfileMaturityLevel = (
  token: string,
  accountId: string,
  profileId: string,
  maturityLevel: MaturityLevelBody['maturityLevel'],
) =>
  command<CommandAnswer<'putAccountsByaccountIdProfilesByprofileIdMaturity'>>(
    `/accounts/${encodeURIComponent(accountId)}/profiles/${encodeURIComponent(profileId)}/maturity`,
    { maturityLevel },
    { token },
    { method: 'PUT' },
  );

/** The profile's preferred audio and caption languages (a tag, or null: original audio, captions off). */
export const setProfileLanguages = (token: string, accountId: string, profileId: string, body: ProfileLanguagesBody) =>
  command<CommandAnswer<'putAccountsByaccountIdProfilesByprofileIdLanguages'>>(
    `/accounts/${encodeURIComponent(accountId)}/profiles/${encodeURIComponent(profileId)}/languages`,
    body,
    { token },
    { method: 'PUT' },
  );

export const startPlayback = (token: string, body: StartPlaybackBody) =>
  command<PlaybackStarted>('/playback', body, { token });

const session = (sessionId: string, action: string) => `/playback/${encodeURIComponent(sessionId)}/${action}`;

export const sendHeartbeat = (
  token: string,
  sessionId: string,
  body: HeartbeatBody,
  options: { keepalive?: boolean } = {},
) => command<HeartbeatAnswer>(session(sessionId, 'progress'), body, { token }, options);

export const reportQoe = (token: string, sessionId: string, body: QoeBody, options: { keepalive?: boolean } = {}) =>
  command<CommandAnswer<'postPlaybackBysessionIdQoe'>>(session(sessionId, 'qoe'), body, { token }, options);

export const stopPlayback = (
  token: string,
  sessionId: string,
  body: StopPlaybackBody,
  options: { keepalive?: boolean } = {},
) => command<CommandAnswer<'postPlaybackBysessionIdStop'>>(session(sessionId, 'stop'), body, { token }, options);

export const createTitle = (apiKey: string, body: NewTitle) =>
  command<CommandAnswer<'postTitles'>>('/titles', body, { apiKey });

export const publishTitle = (apiKey: string, titleId: string) =>
  command<CommandAnswer<'postTitlesBytitleIdPublish'>>(
    `/titles/${encodeURIComponent(titleId)}/publish`,
    {},
    { apiKey },
  );

export const unpublishTitle = (apiKey: string, titleId: string) =>
  command<CommandAnswer<'postTitlesBytitleIdUnpublish'>>(
    `/titles/${encodeURIComponent(titleId)}/unpublish`,
    {},
    { apiKey },
  );

export const createSeries = (apiKey: string, body: NewSeries) =>
  command<CommandAnswer<'postSeries'>>('/series', body, { apiKey });

export const publishSeries = (apiKey: string, seriesId: string, action: 'publish' | 'unpublish') =>
  command<CommandAnswer<'postSeriesByseriesIdPublish' | 'postSeriesByseriesIdUnpublish'>>(
    `/series/${encodeURIComponent(seriesId)}/${action}`,
    {},
    { apiKey },
  );

export const addEpisode = (apiKey: string, seriesId: string, body: NewEpisode) =>
  command<CommandAnswer<'postSeriesByseriesIdEpisodes'>>(`/series/${encodeURIComponent(seriesId)}/episodes`, body, {
    apiKey,
  });

export const setMarkers = (apiKey: string, titleId: string, markers: MarkersBody) =>
  command<CommandAnswer<'putTitlesBytitleIdMarkers'>>(
    `/titles/${encodeURIComponent(titleId)}/markers`,
    markers,
    { apiKey },
    { method: 'PUT' },
  );

export const acceptIntroProposal = (apiKey: string, titleId: string) =>
  command<CommandAnswer<'postTitlesBytitleIdIntroAccept'>>(
    `/titles/${encodeURIComponent(titleId)}/intro/accept`,
    {},
    { apiKey },
  );

/**
 * A title's captions in one language: the file's text as it is (WebVTT, or SRT that the API
 * converts). A file that does not parse is refused with 422 InvalidCaptions, details.line.
 */
export const uploadCaptions = (
  apiKey: string,
  titleId: string,
  language: string,
  file: { name: string; text: string },
) =>
  apiRequest<CommandAnswer<'putTitlesBytitleIdCaptionsBylanguage'>>(
    commandApi,
    `/titles/${encodeURIComponent(titleId)}/captions/${encodeURIComponent(language)}`,
    {
      method: 'PUT',
      rawBody: { contentType: /\.srt$/i.test(file.name) ? 'application/x-subrip' : 'text/vtt', text: file.text },
      credentials: { apiKey },
      idempotencyKey: newIdempotencyKey(),
    },
  );

/** Where tus-js-client creates uploads; the player's server passes it to the command API's /titles/uploads. */
export const uploadsEndpoint = `${commandApi}/titles/uploads`;
