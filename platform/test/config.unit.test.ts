import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  accessConfig,
  defaultPorts,
  eventStoreConfig,
  InvalidConfig,
  localUrl,
  readConfig,
  readServiceConfig,
  redisConfig,
  trustProxyConfig,
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

describe('a variable given as a file (<NAME>_FILE), as compose passes secrets', () => {
  const folder = mkdtempSync(join(tmpdir(), 'config-files-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const secretFile = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  it('takes the value from the file, without the line end an editor leaves', () => {
    const redisUrl = secretFile('redis-url', 'redis://:s3cret-password@redis:6379\n');
    const tokenSecret = secretFile('token-secret', 'x'.repeat(40));
    const config = readConfig(
      { ...redisConfig, ...accessConfig },
      { REDIS_URL_FILE: redisUrl, TOKEN_SECRET_FILE: tokenSecret },
    );
    expect(config.REDIS_URL).toBe('redis://:s3cret-password@redis:6379');
    expect(config.TOKEN_SECRET).toBe('x'.repeat(40));
  });
  it('validates a value from a file like any other, naming the _FILE variable and not the value', () => {
    const short = secretFile('short-secret', 'hunter2-is-short\n');
    expect(() => readConfig(accessConfig, { TOKEN_SECRET_FILE: short })).toThrow(
      /TOKEN_SECRET_FILE: use at least 32 characters/,
    );
    expect(() => readConfig(accessConfig, { TOKEN_SECRET_FILE: short })).not.toThrow(/hunter2/);
  });
  it('refuses a file that cannot be read, and a variable set both ways to different values', () => {
    expect(() => readConfig(redisConfig, { REDIS_URL_FILE: join(folder, 'missing') })).toThrow(
      /REDIS_URL_FILE: cannot read .*missing \(ENOENT\)/,
    );
    const redisUrl = secretFile('redis-url-2', 'redis://redis:6379\n');
    expect(() => readConfig(redisConfig, { REDIS_URL: 'redis://other:6379', REDIS_URL_FILE: redisUrl })).toThrow(
      /REDIS_URL_FILE: REDIS_URL is set too, to another value/,
    );
    // A parent that read the file and passes the value on along with the variable.
    expect(readConfig(redisConfig, { REDIS_URL: 'redis://redis:6379', REDIS_URL_FILE: redisUrl }).REDIS_URL).toBe(
      'redis://redis:6379',
    );
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

describe('TRUST_PROXY', () => {
  it('trusts loopback unless told otherwise, and takes a list of addresses, subnets and names', () => {
    expect(readConfig(trustProxyConfig, {}).TRUST_PROXY).toEqual(['loopback']);
    expect(
      readConfig(trustProxyConfig, { TRUST_PROXY: 'loopback, 172.28.0.0/16,10.0.0.7, fd00::/8' }).TRUST_PROXY,
    ).toEqual(['loopback', '172.28.0.0/16', '10.0.0.7', 'fd00::/8']);
  });
  it('refuses what is not an address, a subnet or a name, naming it', () => {
    expect(() => readConfig(trustProxyConfig, { TRUST_PROXY: 'loopback,player' })).toThrow(
      /TRUST_PROXY: "player" is not an address, a subnet/,
    );
    expect(() => readConfig(trustProxyConfig, { TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY: "10.0.0.0\/33"/);
    expect(() => readConfig(trustProxyConfig, { TRUST_PROXY: ' , ' })).toThrow(/TRUST_PROXY: name at least one/);
  });
});
