import { classifyStart, streamName } from '@marquee/domain';
import { readDomainEvent } from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandApi, edgeHolding, encodedTitle, signUpViewer, startCommandApi } from './command-platform';

/*
 * A play's start records every edge steering knew to hold the encoding, with its health then:
 * what the analysts' miss classification joins with serving telemetry.
 */

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const startedEvent = async (sessionId: string) => {
  for await (const recorded of api.eventStore.readStream(streamName('playback', sessionId))) {
    const event = readDomainEvent(recorded);
    if (event.type === 'PlaybackStarted') return event.data;
  }
  throw new Error(`no PlaybackStarted for ${sessionId}`);
};
const byEdge = (a: { edgeId: string }, b: { edgeId: string }) => a.edgeId.localeCompare(b.edgeId);

describe('PlaybackStarted holders', () => {
  it('records every holder with its health, not edges without the title; a dead local holder makes a health miss', async () => {
    const titleId = await encodedTitle(api);
    const other = await encodedTitle(api);
    const suffix = Math.random().toString(36).slice(2, 8);
    const [eu, dead, us, empty] = [`eu-${suffix}`, `dead-${suffix}`, `us-${suffix}`, `empty-${suffix}`];
    await edgeHolding(api.eventStore, { edgeId: eu, region: 'eu', port: 8111 }, titleId);
    await edgeHolding(api.eventStore, { edgeId: dead, region: 'eu', port: 8112 }, titleId);
    await edgeHolding(api.eventStore, { edgeId: us, region: 'us', port: 8113 }, titleId);
    await edgeHolding(api.eventStore, { edgeId: empty, region: 'eu', port: 8114 }, other);
    await rebuild({ eventStore: api.eventStore, viewStore: api.viewStore, projections: allProjections });
    for (const edgeId of [eu, us, empty]) await api.edgeHealth.heartbeat(edgeId, { load: 0.1 }, 30);
    const ada = await signUpViewer(api, 'premium');

    const first = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId, region: 'eu' });
    expect(first.status).toBe(201);
    const started = await startedEvent(first.body.sessionId);
    expect(started.edges).toEqual([eu, us]);
    expect([...(started.holders ?? [])].sort(byEdge)).toEqual(
      [
        { edgeId: eu, region: 'eu', healthy: true },
        { edgeId: dead, region: 'eu', healthy: false },
        { edgeId: us, region: 'us', healthy: true },
      ].sort(byEdge),
    );
    expect(classifyStart({ region: 'eu', offered: started.edges, holders: started.holders ?? [] })).toBeNull();

    // The eu edge dies: the next eu viewer is sent to the US, a health miss by what was recorded.
    await api.edgeHealth.heartbeat(eu, { load: 0.1 }, 0.05);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId, region: 'eu' });
    const afterDeath = await startedEvent(second.body.sessionId);
    expect(afterDeath.edges).toEqual([us]);
    expect(afterDeath.holders?.find((h) => h.edgeId === eu)).toEqual({ edgeId: eu, region: 'eu', healthy: false });
    expect(classifyStart({ region: 'eu', offered: afterDeath.edges, holders: afterDeath.holders ?? [] })).toBe(
      'health',
    );
  });
});
