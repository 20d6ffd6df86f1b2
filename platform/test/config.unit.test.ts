import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  accessConfig,
  defaultPorts,
  eventStoreConfig,
  InvalidConfig,
  localUrl,
  readConfig,
  readServiceConfig,
} from '../src';

describe('readConfig', () => {
  it('gives working embedded defaults when nothing is set', () => {
    expect(readConfig(eventStoreConfig, {})).toEqual({
      EVENT_STORE_URL: 'sqlite:./data/events.db',
      ESDB_DUPLICATE_SCAN_WINDOW: 1000,
    });
  });
  it('refuses a duplicate scan window that is not a whole number from 1', () => {
    for (const value of ['0', '-5', '2.5', 'many'])
      expect(() => readConfig(eventStoreConfig, { ESDB_DUPLICATE_SCAN_WINDOW: value })).toThrow(
        /ESDB_DUPLICATE_SCAN_WINDOW/,
      );
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

describe('readServiceConfig', () => {
  it('prints every bad variable and what to use, and exits without a stack trace', () => {
    const printed: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    try {
      expect(() => readServiceConfig(eventStoreConfig, { EVENT_STORE_URL: 'mysql://x' })).toThrow('exit 1');
      expect(printed).toEqual([
        expect.stringMatching(/^Marquee cannot start[\s\S]*EVENT_STORE_URL: use sqlite:<file>/),
      ]);
      expect(printed[0]).not.toMatch(/\n\s+at /);
    } finally {
      error.mockRestore();
      exit.mockRestore();
    }
  });
  it('refuses malformed API_KEYS at the boundary, naming the variable', () => {
    expect(() => readConfig(accessConfig, { API_KEYS: 'studio:admin:0123456789abcdefgh' })).toThrow(
      /API_KEYS: API_KEYS entry "studio:admin:0123456789abcdefgh" must be name:content\|analyst:key/,
    );
    expect(readConfig(accessConfig, { API_KEYS: 'studio:content:content-key-0123456789' }).API_KEYS).toBe(
      'studio:content:content-key-0123456789',
    );
  });
});

describe('defaultPorts', () => {
  it('gives every service of one machine its own port, and local URLs for them', () => {
    const ports = [
      defaultPorts.commandApi,
      defaultPorts.queryApi,
      defaultPorts.player,
      defaultPorts.origin,
      ...defaultPorts.edges,
    ];
    expect(new Set(ports).size).toBe(ports.length);
    expect(localUrl(defaultPorts.origin)).toBe(`http://127.0.0.1:${defaultPorts.origin}`);
  });
});
