// Runs a benchmark's server in its own process, so the load generator does not share its thread.
import { fileURLToPath } from 'node:url';
import { spawnTsx } from '@marquee/platform/testing';

const listeningLine = /listening (\d+)/;

export const startServer = async (script: string, env: NodeJS.ProcessEnv) => {
  const server = spawnTsx(fileURLToPath(new URL(`./${script}.ts`, import.meta.url)), [], {
    env: { ...env, LOG_LEVEL: 'silent' },
    stderr: 'inherit',
  });
  const listening = await server.waitForLine(listeningLine, 60_000);
  return { port: Number(listeningLine.exec(listening)?.[1]), stop: () => server.stop() };
};
