import { chooseEvictions, type EvictionInput, type FillPolicy } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { fillsOnDemand, planPopularFills, sameHoldings } from '../src/fill-policy-plan';

const ranked = (titleId: string, score: number, bytes = 100) => ({ titleId, encodingId: 'e1', bytes, score });
const ref = (titleId: string) => ({ titleId, encodingId: 'e1' });
const titles = (items: { titleId: string }[]) => items.map((item) => item.titleId);

describe('the popularity policy’s plan', () => {
  const region = [
    ranked('hit', 9),
    ranked('big', 8, 250),
    ranked('steady', 5),
    ranked('niche', 1),
    ranked('unseen', 0),
  ];

  it('fills the most popular titles that fit, in predicted order, skipping what is held or filling', () => {
    const plan = planPopularFills({
      ranked: region,
      capacityBytes: 300,
      held: [ref('steady')],
      filling: [],
      queued: [],
    });
    // `big` does not fit beside `hit`: the next ones that do are taken instead.
    expect(titles(plan.desired)).toEqual(['hit', 'steady', 'niche']);
    expect(titles(plan.toFill)).toEqual(['hit', 'niche']);
    const filling = planPopularFills({
      ranked: region,
      capacityBytes: 300,
      held: [],
      filling: [ref('hit')],
      queued: [],
    });
    expect(titles(filling.toFill)).toEqual(['steady', 'niche']);
  });

  it('never fills ahead a title nobody is predicted to watch', () => {
    const plan = planPopularFills({ ranked: region, capacityBytes: 10_000, held: [], filling: [], queued: [] });
    expect(titles(plan.desired)).not.toContain('unseen');
  });

  it('stops waiting for fills the region no longer wants', () => {
    const plan = planPopularFills({
      ranked: region,
      capacityBytes: 200,
      held: [],
      filling: [],
      queued: [ref('hit'), ref('niche')],
    });
    expect(titles(plan.toDrop)).toEqual(['niche']);
  });

  it('counts popularity as changed only when the titles wanted change', () => {
    expect(sameHoldings([ref('a'), ref('b')], [ref('b'), ref('a')])).toBe(true);
    expect(sameHoldings([ref('a'), ref('b')], [ref('a'), ref('c')])).toBe(false);
    expect(sameHoldings([ref('a')], [ref('a'), ref('b')])).toBe(false);
  });
});

describe('a viewer’s miss', () => {
  // A full edge holding two titles; the viewer missed `incoming`.
  const full = (policy: FillPolicy, incomingScore: number, fillOnDemand = true) => {
    const input: EvictionInput<{ titleId: string; encodingId: string; bytes: number }> = {
      policy,
      held: [
        { ...ref('favourite'), bytes: 100 },
        { ...ref('middling'), bytes: 100 },
      ],
      capacityBytes: 200,
      freeBytes: 0,
      incoming: { ...ref('incoming'), bytes: 100 },
      lastServedAt: new Map([
        ['favourite/e1', 1000],
        ['middling/e1', 2000],
      ]),
      scores: new Map([
        ['favourite', 10],
        ['middling', 4],
        ['incoming', incomingScore],
      ]),
      busy: new Set(),
    };
    return { ...input, fillOnDemand };
  };

  it('fills the title under fill-all and lru, evicting the least recently served', () => {
    for (const policy of ['fill-all', 'lru'] as const) {
      expect(fillsOnDemand(full(policy, 0))).toBe(true);
      expect(titles(chooseEvictions(full(policy, 0)))).toEqual(['favourite']);
    }
  });

  it('under popularity, fills it only when it is more popular than what it would evict', () => {
    expect(fillsOnDemand(full('popularity', 1))).toBe(false);
    expect(fillsOnDemand(full('popularity', 5))).toBe(true);
    expect(titles(chooseEvictions(full('popularity', 5)))).toEqual(['middling']);
  });

  it('fills nothing when filling on demand is off', () => {
    expect(fillsOnDemand(full('lru', 0, false))).toBe(false);
    expect(fillsOnDemand(full('popularity', 50, false))).toBe(false);
  });
});
