/*
 * A child process whose output is read line by line, for the tests and benchmarks that start a
 * service or a worker and wait until it says something ("listening on", "caught up").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type SpawnedProcess = {
  child: ChildProcess;
  /** Every line printed so far (each ended by a newline): stdout, and stderr unless it is inherited. */
  lines: string[];
  /** Resolves when the process exits. */
  exited: Promise<Exit>;
  /**
   * The first line, printed before or after the call, that contains `pattern` (a string) or matches
   * it (a RegExp). Rejects, with the last lines printed, if the process ends or `timeoutMs` passes first.
   */
  waitForLine: (pattern: string | RegExp, timeoutMs?: number) => Promise<string>;
  /** Calls `listener` with each line printed from now on; the function returned stops it. */
  onLine: (listener: (line: string) => void) => () => void;
  /** Sends `signal` (SIGTERM unless said) unless the process has ended, and waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<Exit>;
};

export type SpawnOptions = {
  cwd?: string;
  /** Set over this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** `inherit` shows stderr as it comes instead of reading it as lines. */
  stderr?: 'pipe' | 'inherit';
  /** Leads a process group of its own, so a signal to `-pid` reaches everything it starts. */
  detached?: boolean;
  /** What messages call it: the command's name unless said. */
  name?: string;
};

/**
 * Calls `onLine` with each line of the stream. A line is what a newline ends: the unfinished
 * tail of a process killed mid-write is not one (it would read as a line cut short).
 */
const readLines = (stream: Readable, onLine: (line: string) => void) => {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  });
};

const matches = (line: string, pattern: string | RegExp) =>
  typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line);

export const spawnProcess = (command: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess => {
  const name = options.name ?? basename(command);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', options.stderr ?? 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr])
    if (stream)
      readLines(stream, (line) => {
        lines.push(line);
        for (const listener of listeners) listener(line);
      });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Lines printed just before the exit may still be on their way; a grandchild may hold the pipes open.
  const ended = Promise.race([
    new Promise((resolve) => child.once('close', resolve)),
    exited.then(() => new Promise((resolve) => setTimeout(resolve, 250))),
  ]).then(() => exited);

  const onLine = (listener: (line: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  const waitForLine = (pattern: string | RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((line) => matches(line, pattern));
      if (seen !== undefined) return resolve(seen);
      const tail = () => lines.slice(-30).join('\n');
      let settled = false;
      const done = (error: Error | null, line = '') => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        if (error) reject(error);
        else resolve(line);
      };
      const timer = setTimeout(
        () => done(new Error(`${name} printed nothing matching ${pattern} within ${timeoutMs} ms:\n${tail()}`)),
        timeoutMs,
      );
      timer.unref();
      const stopListening = onLine((line) => {
        if (matches(line, pattern)) done(null, line);
      });
      void ended.then(({ code, signal }) =>
        done(new Error(`${name} exited (${signal ?? `code ${code}`}) before printing ${pattern}:\n${tail()}`)),
      );
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };

  return { child, lines, exited, waitForLine, onLine, stop };
};

/** A TypeScript file run by Node through tsx, as `npm start` runs the services. */
export const spawnTsx = (script: string, args: readonly string[] = [], options: SpawnOptions = {}) =>
  spawnProcess(process.execPath, ['--import', 'tsx', script, ...args], { name: basename(script), ...options });
