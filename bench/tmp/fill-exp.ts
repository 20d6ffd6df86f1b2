import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamName } from '@marquee/domain';
import { startEdgeNode } from '@marquee/edge-node';
import { openEventStore, toEventsToAppend, writePackageIndex } from '@marquee/platform';

const dir = mkdtempSync(join(tmpdir(), 'fillexp-'));
const originDir = join(dir, 'origin');
const pkg = join(originDir, 't', 'e1');
const block = Buffer.alloc(4e6);
for (const size of [1, 4]) {
  mkdirSync(join(pkg, `v${size}`), { recursive: true });
  for (let n = 1; n <= 100; n++) {
    randomFillSync(block);
    writeFileSync(join(pkg, `v${size}/s${n}.m4s`), block.subarray(0, size * 1e6));
  }
}
await writePackageIndex(pkg, {
  titleId: 't',
  encodingId: 'e1',
  ladder: [{ width: 1, height: 1, videoBitrateKbps: 1 }],
  durationSeconds: 1,
  encodeSeconds: 1,
});
let t = performance.now();
execFileSync('cp', ['-r', pkg, join(dir, 'c0')]);
execFileSync('sync');
console.log('cp', (performance.now() - t) / 1000);
t = performance.now();
execFileSync('cp', ['-r', pkg, join(dir, 'c1')]);
execFileSync('sync');
console.log('cp', (performance.now() - t) / 1000);
const secret = 'x'.repeat(40);
const url = `sqlite:${join(dir, 'ev.db')}`;
const origin = await startEdgeNode({
  CONTENT_TOKEN_SECRET: secret,
  DATA_DIR: dir,
  EDGE_ROLE: 'origin',
  EDGE_DIR: originDir,
  LOG_LEVEL: 'warn',
});
const store = await openEventStore(url);
for (const conc of (process.env.CONC ?? '8').split(',')) {
  const edge = await startEdgeNode({
    CONTENT_TOKEN_SECRET: secret,
    DATA_DIR: dir,
    EVENT_STORE_URL: url,
    EDGE_ID: `e${conc}`,
    EDGE_DIR: join(dir, `edge${conc}`),
    EDGE_UPSTREAM: origin.url,
    FILL_CONCURRENCY: conc,
    EDGE_CAPACITY: '2GB',
  });
  const s = streamName('title', `t`);
  t = performance.now();
  if (conc === (process.env.CONC ?? '8').split(',')[0])
    await store.appendToStream(
      s,
      toEventsToAppend(s, [
        {
          type: 'TitlePublished',
          data: { titleId: 't', encodingId: 'e1', manifestPath: 'x', at: new Date().toISOString() },
        },
      ]),
    );
  const line = await edge.waitForOutput(/fill completed/, 60000);
  execFileSync('sync');
  console.log('conc', conc, 'total', (performance.now() - t) / 1000, JSON.parse(line).seconds);
  await edge.stop();
}
await origin.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
