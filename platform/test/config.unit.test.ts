import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventStoreConfig, InvalidConfig, readConfig } from '../src';

describe('readConfig', () => {
  it('gives working embedded defaults when nothing is set', () => {
    expect(readConfig(eventStoreConfig, {})).toEqual({ EVENT_STORE_URL: 'sqlite:./data/events.db' });
  });
  it('takes a value from the environment', () => {
    expect(readConfig(eventStoreConfig, { EVENT_STORE_URL: 'esdb://localhost:2113?tls=false' }).EVENT_STORE_URL).toBe(
      'esdb://localhost:2113?tls=false',
    );
  });
  it('stops at start with every bad variable named and what to use instead', () => {
    const shape = { ...eventStoreConfig, PORT: z.coerce.number().int().min(1).max(65535).default(8080) };
    const error = (() => {
      try {
        readConfig(shape, { EVENT_STORE_URL: 'mysql://x', PORT: '99999' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidConfig);
    expect((error as Error).message).toMatch(/EVENT_STORE_URL: use sqlite:<file> or esdb:\/\//);
    expect((error as Error).message).toMatch(/PORT: /);
  });
});
