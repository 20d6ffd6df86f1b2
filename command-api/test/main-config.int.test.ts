import { join } from 'node:path';
import { spawnTsx } from '@marquee/platform/testing';
import { describe, expect, it } from 'vitest';

describe('main.ts configuration', () => {
  it('refuses a content token TTL outside 2 s to a day at start, naming the variable', async () => {
    for (const ttl of ['1', '86401', 'soon']) {
      const service = spawnTsx('src/main.ts', [], {
        cwd: join(import.meta.dirname, '..'),
        env: { CONTENT_TOKEN_TTL_SECONDS: ttl, COMMAND_API_PORT: '0' },
        name: 'the command API',
      });
      const { code } = await service.exited;
      expect(code, ttl).toBe(1);
      expect(service.lines.join('\n'), ttl).toMatch(/CONTENT_TOKEN_TTL_SECONDS: /);
    }
  });
});
