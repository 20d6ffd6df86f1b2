/*
 * The faults, one after another at a steady pace while the load runs: a random service killed
 * (SIGKILL) and left to `npm start` to restart, Redis killed and started again, the filled
 * edge's disk made full and freed later. Slow clients sit on every port for the whole run. Each
 * fault is written down with when it happened and what followed, for the report.
 */
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SlowClients, startSlowClients } from './slow-clients';
import type { SoakPlatform, SoakService } from './soak-platform';
import { soakServices } from './soak-platform';

export type FaultKind = 'kill' | 'redis-restart' | 'edge-disk-full';

export type InjectedFault = {
  kind: FaultKind;
  at: string;
  what: string;
  outcome?: string;
  /** The service killed. */
  service?: SoakService;
  /** Which of `npm start`'s output lines (indexes) were printed while the fault lasted, and a few seconds after. */
  output?: { from: number; to: number };
  /** What each /readyz answered while Redis was down: `status` and what it named as degraded. */
  readyz?: Record<string, string[]>;
};

export type FaultInjector = {
  faults: InjectedFault[];
  /** Faults that could not be made to happen here, with why (printed once). */
  skipped: string[];
  /** What became of the slow clients: how many the servers closed on their own, and after how long. */
  slowClients(): string;
  /** Stops injecting, frees the edge's disk, closes the slow clients. */
  stop(): Promise<void>;
};

export type FaultOptions = {
  platform: SoakPlatform;
  /** A fault this often. */
  everyMs: number;
  /** How long Redis stays down. */
  redisDownMs: number;
  /** How long the edge's disk stays full. */
  diskFullMs: number;
  slowClientsPerPort: number;
  random: () => number;
  log: (line: string) => void;
};

/** Fills the file system under `dir` with one file, up to its last block; the file's path. */
const fillDisk = async (dir: string) => {
  const ballast = join(dir, 'soak-ballast');
  const file = await open(ballast, 'w');
  const chunk = Buffer.alloc(1 << 20, 0x5a);
  try {
    for (;;) await file.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await file.close();
  }
  // The last partial megabyte too, so not a single block is free.
  const small = Buffer.alloc(4096, 0x5a);
  const tail = await open(ballast, 'a');
  try {
    for (;;) await tail.write(small);
  } catch {
    // ENOSPC: full.
  } finally {
    await tail.close();
  }
  return ballast;
};

export const startFaultInjector = (options: FaultOptions): FaultInjector => {
  const { platform, log, random } = options;
  const faults: InjectedFault[] = [];
  const skipped: string[] = [];
  const edgeDisk = platform.edgeDisk;
  if ('skipped' in edgeDisk) skipped.push(`edge disk full: ${edgeDisk.skipped}`);
  const kinds: FaultKind[] = ['kill', 'redis-restart', ...('path' in edgeDisk ? (['edge-disk-full'] as const) : [])];
  const ports = platform.httpServices.map((service) => Number(new URL(service.url).port));
  const slow: SlowClients = startSlowClients(ports, options.slowClientsPerPort);
  log(`slow clients: ${slow.opened} on ports ${ports.join(', ')}`);

  let stopping = false;
  let ballast: string | undefined;
  const note = (fault: InjectedFault) => {
    faults.push(fault);
    log(`fault: ${fault.what}`);
    return fault;
  };

  const kill = async () => {
    const service = soakServices[Math.floor(random() * soakServices.length)] as SoakService;
    const pid = platform.pidOf(service);
    const starts = platform.startsOf(service);
    const fault = note({
      kind: 'kill',
      at: new Date().toISOString(),
      what: `SIGKILL ${service} (pid ${pid})`,
      service,
    });
    if (pid === undefined) {
      fault.outcome = 'no pid known';
      return;
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      fault.outcome = `could not kill: ${error}`;
      return;
    }
    const deadline = Date.now() + 60_000;
    while (platform.startsOf(service) === starts && Date.now() < deadline) await sleep(200);
    fault.outcome =
      platform.startsOf(service) > starts ? `restarted as pid ${platform.pidOf(service)}` : 'not restarted within 60 s';
  };

  const restartRedis = async () => {
    const fault = note({
      kind: 'redis-restart',
      at: new Date().toISOString(),
      what: `Redis killed, down for ${options.redisDownMs / 1000} s`,
    });
    const from = platform.output.length;
    const readyz: Record<string, string[]> = {};
    let down = true;
    const watching = (async () => {
      while (down) {
        for (const service of platform.httpServices.filter((s) => s.name.endsWith('-api'))) {
          const answer = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2000) })
            .then(async (response) => {
              const body = (await response.json()) as { status?: string; degraded?: string[] };
              return `${response.status} ${body.status}${body.degraded ? `: ${body.degraded.join('; ')}` : ''}`;
            })
            .catch((error: unknown) => `no answer (${error instanceof Error ? error.message : error})`);
          const seen = readyz[service.name] ?? [];
          if (seen.at(-1) !== answer) readyz[service.name] = [...seen, answer];
        }
        await sleep(1000);
      }
    })();
    await platform.redis.restart(options.redisDownMs);
    // The services notice it is back within a few seconds; what they print meanwhile belongs to the outage.
    await sleep(5000);
    down = false;
    await watching;
    fault.output = { from, to: platform.output.length };
    fault.readyz = readyz;
    fault.outcome = 'started again';
  };

  /** Fills the disk and frees it `diskFullMs` later, while the other faults go on. */
  let freeing: Promise<void> = Promise.resolve();
  const fillEdgeDisk = async () => {
    if (!('path' in edgeDisk) || ballast) return;
    const fault = note({
      kind: 'edge-disk-full',
      at: new Date().toISOString(),
      what: `${edgeDisk.edge}'s disk filled for ${options.diskFullMs / 1000} s`,
    });
    const filled = await fillDisk(edgeDisk.path);
    ballast = filled;
    const { bavail, bsize } = await statfs(edgeDisk.path);
    freeing = (async () => {
      const until = Date.now() + options.diskFullMs;
      while (!stopping && Date.now() < until) await sleep(200);
      await rm(filled, { force: true });
      ballast = undefined;
      fault.outcome = `full (${bavail * bsize} bytes free), then freed`;
    })();
  };

  const loop = (async () => {
    let n = 0;
    await sleep(options.everyMs / 2);
    while (!stopping) {
      const kind = kinds[n++ % kinds.length] as FaultKind;
      try {
        if (kind === 'kill') await kill();
        else if (kind === 'redis-restart') await restartRedis();
        else await fillEdgeDisk();
      } catch (error) {
        log(`fault ${kind} could not be injected: ${error instanceof Error ? error.message : error}`);
      }
      const next = Date.now() + options.everyMs;
      while (!stopping && Date.now() < next) await sleep(200);
    }
  })();

  return {
    faults,
    skipped,
    slowClients: () => {
      const { closed, stillOpen } = slow.closedByServer();
      const seconds = closed.map((c) => c.afterSeconds).toSorted((a, b) => a - b);
      const names = (ports: number[]) =>
        ports.map((port) => platform.httpServices.find((s) => s.url.endsWith(`:${port}`))?.name ?? port).join(', ');
      return (
        `${slow.opened} slow clients; of the never-ending requests, ${closed.length} were closed by the server` +
        `${seconds.length ? ` (after ${seconds[0]}–${seconds.at(-1)} s)` : ''}` +
        `${stillOpen.length ? `, some still open on ${names(stillOpen)}` : ''}`
      );
    },
    stop: async () => {
      stopping = true;
      await loop;
      await freeing;
      slow.stop();
    },
  };
};
