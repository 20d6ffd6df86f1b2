import { type FileHandle, open, rename, unlink } from 'node:fs/promises';

/*
 * nginx sends segment hits without asking the program (nginx/content-token.js), so the program
 * learns of them from nginx's access log: one compact line per hit (nginx-config.ts,
 * `accessLogFormat`), buffered by nginx and read here a chunk at a time. The parser is pure; the
 * tailer reads what was appended since its last look and rotates the file when it grows large.
 */

/** One file nginx sent itself. */
export type ServedByNginx = {
  at: Date;
  status: number;
  /** Body bytes sent (the whole file, a range, or 0 for a 304). */
  bytes: number;
  titleId: string;
  encodingId: string;
  file: string;
  /** The token's session id; null for a token without one (an edge filling itself). */
  sessionId: string | null;
  /** The viewer's region from the token; null when it names none. */
  region: string | null;
  /** CMCD as a `key=value,…` list: the query's (dash.js query mode) or the headers' joined; null when none. */
  cmcd: string | null;
};

// escape=default writes `"`, `\`, control characters and bytes above 126 as `\x` and two hex digits (e.g. `\x22`).
const unescapeNginx = (field: string) =>
  field.includes('\\x')
    ? Buffer.from(
        field.replace(/\\x([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        'latin1',
      ).toString('utf8')
    : field;

const fieldValue = (field: string | undefined) =>
  field === undefined || field === '-' || field === '' ? null : unescapeNginx(field);

const decodeQueryValue = (value: string) => {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
};

/** A line of the access log, or undefined for one that is not ours (a torn or foreign line). */
export const parseServedLine = (line: string): ServedByNginx | undefined => {
  const [msec, status, bytes, uri, session, region, query, ...headers] = line.split('\t');
  if (headers.length !== 4 || !msec || !status || !bytes || !uri) return undefined;
  const held = /^\/([^/]+)\/([^/]+)\/(.+)$/.exec(unescapeNginx(uri));
  const at = Number(msec) * 1000;
  if (!held || !Number.isFinite(at) || !/^\d{3}$/.test(status) || !/^\d+$/.test(bytes)) return undefined;
  const [, titleId = '', encodingId = '', file = ''] = held;
  const fromQuery = fieldValue(query);
  const fromHeaders = headers.map(fieldValue).filter((value): value is string => value !== null);
  return {
    at: new Date(at),
    status: Number(status),
    bytes: Number(bytes),
    titleId,
    encodingId,
    file,
    sessionId: fieldValue(session),
    region: fieldValue(region),
    cmcd: fromQuery !== null ? decodeQueryValue(fromQuery) : fromHeaders.length > 0 ? fromHeaders.join(',') : null,
  };
};

export type AccessLogTail = {
  /** Reads what nginx appended since the last look (the tailer also does this on its own, every interval). */
  poll(): Promise<void>;
  /** A last read, then no more. */
  stop(): Promise<void>;
};

/**
 * Follows the access log from its start. Past `maxBytes` it renames the file and asks nginx to
 * reopen its logs (`reopen`: SIGUSR1), reads the rest of the old file once nginx has flushed it
 * into the old one, and deletes it.
 */
export const tailAccessLog = async (options: {
  file: string;
  onServed(entry: ServedByNginx): void;
  reopen(): void;
  intervalMs?: number;
  maxBytes?: number;
  /** How long nginx may still write to the old file after a reopen: more than its flush interval. */
  drainMs?: number;
}): Promise<AccessLogTail> => {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const drainMs = options.drainMs ?? 3000;
  let handle: FileHandle | undefined = await open(options.file, 'r');
  let offset = 0;
  let partial = '';
  let rotating: Promise<void> | undefined;
  const buffer = Buffer.alloc(256 * 1024);

  const readNew = async (from: FileHandle) => {
    for (;;) {
      const { bytesRead } = await from.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      const lines = (partial + buffer.toString('latin1', 0, bytesRead)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseServedLine(line);
        if (entry) options.onServed(entry);
      }
    }
  };

  const rotate = async (old: FileHandle) => {
    handle = undefined;
    await rename(options.file, `${options.file}.old`);
    options.reopen();
    await new Promise((done) => setTimeout(done, drainMs));
    await readNew(old);
    await old.close();
    await unlink(`${options.file}.old`).catch(() => {});
    offset = 0;
    partial = '';
  };

  let polling: Promise<void> = Promise.resolve();
  const poll = () => {
    polling = polling.then(async () => {
      if (rotating) return;
      // nginx makes the file anew when it reopens its logs; until then there is nothing to read.
      handle ??= await open(options.file, 'r').catch(() => undefined);
      if (!handle) return;
      await readNew(handle);
      if (offset >= maxBytes)
        rotating = rotate(handle)
          .catch(() => {})
          .finally(() => {
            rotating = undefined;
          });
    });
    return polling;
  };
  const timer = setInterval(() => void poll().catch(() => {}), options.intervalMs ?? 1000);
  timer.unref();
  return {
    poll,
    stop: async () => {
      clearInterval(timer);
      await rotating;
      await poll();
      await handle?.close();
    },
  };
};
