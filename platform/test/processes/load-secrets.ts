// Loads the development secrets when told to go, and prints them: one of many processes
// starting at once in the secrets race test.
import { existsSync } from 'node:fs';
import { loadDevelopmentSecrets } from '../../src';

const [path, go] = process.argv.slice(2) as [string, string];
console.log('ready');
while (!existsSync(go)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
console.log(JSON.stringify(loadDevelopmentSecrets(path)));
