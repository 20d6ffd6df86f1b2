// Writes the player's API types (`npm run generate:api -w player`); see api-types.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateApiTypes, generatedDirectory } from './api-types';

await mkdir(generatedDirectory, { recursive: true });
for (const [name, text] of Object.entries(await generateApiTypes())) {
  await writeFile(join(generatedDirectory, name), text);
  console.log(`wrote ${join(generatedDirectory, name)}`);
}
