import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApiTypes, generatedDirectory, regenerateCommand } from '../scripts/api-types';

describe("the player's API types", () => {
  it("are what the APIs' OpenAPI documents give today", async () => {
    const expected = await generateApiTypes();
    const committed = await readdir(generatedDirectory).catch(() => []);
    expect(committed.sort(), `the generated files are not all there: run ${regenerateCommand}`).toEqual(
      Object.keys(expected).sort(),
    );
    for (const [name, text] of Object.entries(expected)) {
      const onDisk = await readFile(join(generatedDirectory, name), 'utf8');
      expect(onDisk === text, `src/app/api/generated/${name} is stale: run ${regenerateCommand}`).toBe(true);
    }
  });
});
