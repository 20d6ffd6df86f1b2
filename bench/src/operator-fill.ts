// The fill's baseline: what a careful operator would run by hand to copy a package from the
// origin onto an edge's disk. The package's index.json lists every file; four curl at a time
// download them over HTTP with the token an edge signs for its own fills; `sha256sum -c` checks
// every file against the index; `sync` puts them on disk, as the fill's time includes its sync.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

// One curl per file (`xargs -P4`), as one types it: each file is a fresh process and connection,
// and four run at once whatever their sizes.
const script = `
set -eu
base="$1"
cd "$2"
curl -sSf -o index.json "\${base}index.json"
jq -r '.files[].path' index.json | xargs -P4 -I{} curl -sSf --create-dirs -o {} "\${base}{}"
jq -r '.files[] | "\\(.sha256)  \\(.path)"' index.json | sha256sum -c --quiet
sync
`;

/** Seconds the operator's download, check and sync of the package at `base` into `destination` take. */
export const operatorFill = (base: string, destination: string) => {
  mkdirSync(destination, { recursive: true });
  const started = performance.now();
  execFileSync('sh', ['-c', script, 'sh', base, destination], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
};
