import { streamName } from '@marquee/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  eventTypes,
  recordEncoding,
  signUpViewer,
  startCommandApi,
} from './command-platform';

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const accountEvents = (accountId: string) => eventTypes(api.eventStore, streamName('account', accountId));
const metadata = { synopsis: 'S.', genres: ['drama'], year: 2024 };

/** A title rated `maturityRating`, encoded and published. */
const publishedTitle = async (maturityRating: string) => {
  const { body } = await api.post('/titles', content, { name: 'Rated', ...metadata, maturityRating });
  await recordEncoding(api.eventStore, body.titleId, [360, 720]);
  expect((await api.post(`/titles/${body.titleId}/publish`, content)).status).toBe(200);
  return body.titleId as string;
};

describe('profile maturity levels', () => {
  it('gives a new profile the default level (18+ adult, 7+ kids) or the one chosen', async () => {
    const ada = await signUpViewer(api, 'premium');
    const profiles = `/accounts/${ada.accountId}/profiles`;
    const adult = await api.post(profiles, ada.viewer, { name: 'Grown-up' });
    expect(adult.status).toBe(201);
    expect(adult.body).toMatchObject({ kids: false, maturityLevel: '18+' });
    const kids = await api.post(profiles, ada.viewer, { name: 'Kid', kids: true });
    expect(kids.body).toMatchObject({ kids: true, maturityLevel: '7+' });
    const youngKid = await api.post(profiles, ada.viewer, { name: 'Little', kids: true, maturityLevel: 'all' });
    expect(youngKid.body).toMatchObject({ kids: true, maturityLevel: 'all' });
    const teen = await api.post(profiles, ada.viewer, { name: 'Teen', maturityLevel: '13+' });
    expect(teen.body).toMatchObject({ kids: false, maturityLevel: '13+' });
  });
  it('refuses a kids profile created above 7+ with 422, and an unknown level by field', async () => {
    const ada = await signUpViewer(api, 'basic');
    const profiles = `/accounts/${ada.accountId}/profiles`;
    const before = await accountEvents(ada.accountId);
    const capped = await api.post(profiles, ada.viewer, { name: 'Kid', kids: true, maturityLevel: '13+' });
    expect(capped.status).toBe(422);
    expect(capped.body).toMatchObject({ error: 'KidsMaturityCapExceeded', message: expect.stringMatching(/7\+/) });
    const unknown = await api.post(profiles, ada.viewer, { name: 'Kid', maturityLevel: 'PG' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].parameter).toBe('maturityLevel');
    expect(await accountEvents(ada.accountId)).toEqual(before);
  });
  it("sets an adult profile's level down and up again", async () => {
    const ada = await signUpViewer(api, 'basic');
    const path = `/accounts/${ada.accountId}/profiles/${ada.profileId}/maturity`;
    const down = await api.call('PUT', path, ada.viewer, { maturityLevel: '7+' });
    expect(down.status).toBe(200);
    expect(down.body).toEqual({ profileId: ada.profileId, maturityLevel: '7+' });
    expect((await api.call('PUT', path, ada.viewer, { maturityLevel: '7+' })).status).toBe(200);
    expect((await api.call('PUT', path, ada.viewer, { maturityLevel: '18+' })).body.maturityLevel).toBe('18+');
    const levels = (await accountEvents(ada.accountId)).filter((type) => type === 'ProfileMaturityLevelSet');
    expect(levels).toHaveLength(2);
  });
  it('refuses to raise a kids profile above 7+ with 422, appending nothing', async () => {
    const ada = await signUpViewer(api, 'basic');
    const kid = await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name: 'Kid', kids: true });
    const path = `/accounts/${ada.accountId}/profiles/${kid.body.profileId}/maturity`;
    const before = await accountEvents(ada.accountId);
    const raised = await api.call('PUT', path, ada.viewer, { maturityLevel: '13+' });
    expect(raised.status).toBe(422);
    expect(raised.body.error).toBe('KidsMaturityCapExceeded');
    expect(await accountEvents(ada.accountId)).toEqual(before);
    expect((await api.call('PUT', path, ada.viewer, { maturityLevel: 'all' })).status).toBe(200);
  });
  it("refuses another account's profile with 403, an unknown profile with 404", async () => {
    const ada = await signUpViewer(api, 'basic');
    const bob = await signUpViewer(api, 'basic');
    const body = { maturityLevel: '7+' };
    const foreign = await api.call(
      'PUT',
      `/accounts/${ada.accountId}/profiles/${ada.profileId}/maturity`,
      bob.viewer,
      body,
    );
    expect(foreign.status).toBe(403);
    const unknown = await api.call('PUT', `/accounts/${ada.accountId}/profiles/nope/maturity`, ada.viewer, body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('ProfileNotFound');
  });
});

describe('playback start and maturity', () => {
  it('refuses a title above the profile level with 409 AboveMaturityLevel: no lease, no session', async () => {
    const titleId = await publishedTitle('18+');
    const ada = await signUpViewer(api, 'premium');
    const kid = await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name: 'Kid', kids: true });
    const before = await api.eventStore.headPosition();
    const refused = await api.post('/playback', ada.viewer, { profileId: kid.body.profileId, titleId });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'AboveMaturityLevel',
      message: expect.stringMatching(/rated 18\+, above this profile's maturity level \(7\+\)/),
    });
    expect(await api.eventStore.headPosition()).toBe(before);
    // The adult profile of the same account plays it.
    expect((await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(201);
  });
  it('holds a lowered adult level too', async () => {
    const titleId = await publishedTitle('16+');
    const ada = await signUpViewer(api, 'premium');
    const path = `/accounts/${ada.accountId}/profiles/${ada.profileId}/maturity`;
    await api.call('PUT', path, ada.viewer, { maturityLevel: '13+' });
    expect((await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(409);
    await api.call('PUT', path, ada.viewer, { maturityLevel: '16+' });
    expect((await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(201);
  });
  it('ends a session at its next heartbeat once the title is rated above the profile: no fresh token', async () => {
    const titleId = await publishedTitle('7+');
    const ada = await signUpViewer(api, 'premium');
    const kid = await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name: 'Kid', kids: true });
    const started = await api.post('/playback', ada.viewer, { profileId: kid.body.profileId, titleId });
    expect(started.status).toBe(201);
    const beat = () =>
      api.post(`/playback/${started.body.sessionId}/progress`, ada.viewer, {
        profileId: kid.body.profileId,
        positionSeconds: 5,
      });
    expect((await beat()).status).toBe(200);
    expect((await api.call('PATCH', `/titles/${titleId}`, content, { maturityRating: '18+' })).status).toBe(200);
    const refused = await beat();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'AboveMaturityLevel' });
    expect(refused.body.token).toBeUndefined();
  });
  it('plays an episode only while its series is published, rated at least as its series is', async () => {
    const { body: series } = await api.post('/series', content, {
      name: 'Deep Field',
      ...metadata,
      maturityRating: '13+',
    });
    const { body: episode } = await api.post(`/series/${series.seriesId}/episodes`, content, {
      season: 1,
      episode: 1,
      name: 'Pilot',
      maturityRating: 'all',
    });
    await recordEncoding(api.eventStore, episode.titleId, [360, 720]);
    expect((await api.post(`/titles/${episode.titleId}/publish`, content)).status).toBe(200);
    const ada = await signUpViewer(api, 'premium');
    const start = (profileId: string) => api.post('/playback', ada.viewer, { profileId, titleId: episode.titleId });

    const before = await api.eventStore.headPosition();
    const unpublished = await start(ada.profileId);
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error).toBe('TitleUnavailable');
    expect(await api.eventStore.headPosition()).toBe(before);

    await api.post(`/series/${series.seriesId}/publish`, content);
    // The episode is rated all, its series 13+: a kids profile (7+) may not watch it.
    const kid = await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name: 'Kid', kids: true });
    const aboveLevel = await start(kid.body.profileId);
    expect(aboveLevel.status).toBe(409);
    expect(aboveLevel.body.error).toBe('AboveMaturityLevel');

    const started = await start(ada.profileId);
    expect(started.status).toBe(201);
    const sessionEvents = [];
    for await (const event of api.eventStore.readStream(streamName('playback', started.body.sessionId)))
      sessionEvents.push(event);
    expect(sessionEvents[0]).toMatchObject({
      type: 'PlaybackStarted',
      data: { seriesId: series.seriesId, episodeOf: { seriesId: series.seriesId, season: 1, episode: 1 } },
    });
  });
});
