import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError, StreamLimitReached, TitleNotFound } from '../src';

describe('domain errors', () => {
  it('carry a stable code, a kind for the API to map, details, and a message for people', () => {
    const error = new StreamLimitReached('standard', 2);
    expect(error).toBeInstanceOf(DomainError);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'StreamLimitReached', name: 'StreamLimitReached', kind: 'conflict' });
    expect(error.details).toEqual({ plan: 'standard', maxStreams: 2 });
    expect(error.message).toBe(
      'Your standard plan allows 2 streams at a time, and all are in use. Stop playback on another device or upgrade your plan.',
    );
    expect(new TitleNotFound('t9')).toMatchObject({ code: 'TitleNotFound', kind: 'not_found' });
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});
