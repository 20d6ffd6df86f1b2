import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Logger, redactContentToken } from '@marquee/platform';
import type { EdgeMetrics } from './edge-metrics';
import { type ServedByNginx, tailAccessLog } from './nginx/nginx-access-log';
import {
  accessLogFile,
  nginxConfiguration,
  njsSecretVariable,
  unavailableTitlesFile,
  unavailableTitlesMap,
} from './nginx/nginx-config';

/*
 * Optional: nginx in front of the edge (EDGE_SERVE_WITH=nginx), as CDN appliances run it. A
 * segment hit is decided by nginx itself (njs checks the path, the token, the rung cap and the
 * unavailable titles) and sent with sendfile(2): it costs no trip through Node. Everything else
 * (manifests and playlists written per token, misses pulled through, refusals with their reason,
 * other files) goes to this program unchanged, which may still hand a file back to nginx with
 * X-Accel-Redirect. The hits nginx sent reach the metrics through its access log.
 */

export type { ServedByNginx } from './nginx/nginx-access-log';
export { heldLocation } from './nginx/nginx-config';

/** Debian puts nginx in /usr/sbin, which a non-login PATH may lack. */
export const nginxBinary = process.env.NGINX_PATH ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

// Debian and Ubuntu (libnginx-mod-http-js), Fedora and RHEL (nginx-mod-njs), nginx.org's packages (nginx-module-njs).
const njsModuleCandidates = [
  '/usr/lib/nginx/modules/ngx_http_js_module.so',
  '/usr/lib64/nginx/modules/ngx_http_js_module.so',
  '/usr/share/nginx/modules/ngx_http_js_module.so',
  '/etc/nginx/modules/ngx_http_js_module.so',
];

/** nginx's JavaScript module (njs), which checks tokens in nginx; NGINX_NJS_MODULE names it elsewhere. */
export const njsModulePath = (): string => {
  const found = [process.env.NGINX_NJS_MODULE, ...njsModuleCandidates].find(
    (path): path is string => !!path && existsSync(path),
  );
  if (!found)
    throw new Error(
      "EDGE_SERVE_WITH=nginx needs nginx's njs module (ngx_http_js_module.so): apt-get install libnginx-mod-http-js, or dnf install nginx-mod-njs; set NGINX_NJS_MODULE if it is elsewhere",
    );
  return found;
};

const njsScript = fileURLToPath(new URL('./nginx/content-token.js', import.meta.url));

export type NginxFront = {
  /**
   * The titles nginx must not send hits for any more (unpublished): rewrites the map nginx reads
   * and reloads it. Takes effect within a moment of the promise settling (nginx starts new
   * workers); until then the program, which refuses them itself, is the authority for misses.
   */
  setUnavailableTitles(titleIds: Iterable<string>): Promise<void>;
  /** Reads nginx's access log now rather than at the next interval (tests, shutdown). */
  readServed(): Promise<void>;
  stop(): Promise<void>;
};

export const startNginxFront = async (options: {
  host: string;
  port: number;
  /** Where this program listens, for nginx to reach it: host:port or unix:/path. */
  node: string;
  contentDir: string;
  workDir: string;
  contentTokenSecret: string;
  /** The hits nginx sent are counted here, as the program counts its own. */
  metrics: Pick<EdgeMetrics, 'request' | 'served'>;
  /** An edge marks a title as served, for eviction. */
  touch?: (titleId: string, encodingId: string) => void;
  /** Every hit nginx sent, with its session and CMCD: per-session serving figures hook in here. */
  onServed?: (entry: ServedByNginx) => void;
  unavailableTitles?: Iterable<string>;
  /** How often the access log is read. */
  logIntervalMs?: number;
  logger: Logger;
  /** nginx exited without being asked: this node no longer serves, and should not look healthy. */
  onUnexpectedExit?: (code: number | null) => void;
}): Promise<NginxFront> => {
  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  const configFile = join(workDir, 'nginx.conf');
  const mapFile = join(workDir, unavailableTitlesFile);
  const logFile = join(workDir, accessLogFile);
  let mapText = unavailableTitlesMap(options.unavailableTitles ?? []);
  await writeFile(mapFile, mapText);
  // Lines of an earlier run were counted by that run.
  await rm(logFile, { force: true });
  await writeFile(
    configFile,
    nginxConfiguration({
      listen: `${options.host}:${options.port}`,
      node: options.node,
      contentDir: options.contentDir,
      workDir,
      njsModule: njsModulePath(),
      njsScript,
      runAsRoot: process.getuid?.() === 0,
    }),
  );
  // nginx's error log is its stderr (-e: from the first line, before the configuration is read),
  // and each line reaches this service's log with the content token in its request line redacted.
  const child: ChildProcess = spawn(nginxBinary, ['-e', 'stderr', '-c', configFile, '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, [njsSecretVariable]: options.contentTokenSecret },
  });
  if (child.stderr)
    createInterface({ input: child.stderr }).on('line', (line) =>
      options.logger.error({ nginx: redactContentToken(line) }, 'nginx error log'),
    );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`nginx could not start (is it installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code}; its error log is in the lines above`)));
  });
  failed.catch(() => {});
  const deadline = AbortSignal.timeout(10_000);
  let stopping = false;
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    stopping = true;
    if (running()) child.kill('SIGQUIT');
  };
  for (;;) {
    const up = await Promise.race([
      fetch(`http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
      failed,
    ]).catch((error) => {
      kill();
      throw error;
    });
    if (up) break;
    if (deadline.aborted) {
      // Left running, it would hold the port and fail every restart.
      kill();
      throw new Error('nginx did not answer within 10 s');
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  const tail = await tailAccessLog({
    file: logFile,
    intervalMs: options.logIntervalMs,
    reopen: () => {
      if (running()) child.kill('SIGUSR1');
    },
    onServed: (entry) => {
      options.metrics.request('hit');
      options.metrics.served(entry.bytes);
      options.touch?.(entry.titleId, entry.encodingId);
      options.onServed?.(entry);
    },
  });
  options.logger.info({ configFile }, 'nginx decides segment hits (njs) and sends them; the program the rest');
  child.once('exit', (code) => {
    if (!stopping) options.onUnexpectedExit?.(code);
  });

  let reloads: Promise<void> = Promise.resolve();
  return {
    setUnavailableTitles: (titleIds) => {
      const text = unavailableTitlesMap(titleIds);
      reloads = reloads.then(async () => {
        if (text === mapText) return;
        // Written whole, then renamed: a reload never reads half a list.
        await writeFile(`${mapFile}.next`, text);
        await rename(`${mapFile}.next`, mapFile);
        mapText = text;
        if (running()) child.kill('SIGHUP');
      });
      return reloads;
    },
    readServed: () => tail.poll(),
    stop: async () => {
      await new Promise<void>((done) => {
        if (!running()) return done();
        child.once('exit', () => done());
        kill();
      });
      // nginx flushed its log buffer as it quit.
      await tail.stop();
    },
  };
};
