import { open } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMarqueeEventType } from '@marquee/domain';
import { type RecordedEvent, readConfig } from '@marquee/platform';
import type { Command } from 'commander';
import { type Moment, parseMoment, UsageError } from './moments';
import { type ExportRecord, exportKeyConfig, exportRecords, loadExportKey } from './pseudonyms';
import { openStores } from './stores';

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvColumns = ['position', 'recordedAt', 'stream', 'type', 'schemaVersion', 'data', 'metadata'] as const;
const csvLine = (record: ExportRecord) => `${csvColumns.map((column) => csvCell(record[column])).join(',')}\n`;

/** How events are shown, with the pseudonym key from the configuration. */
const recordsFor = (includePersonalData: boolean | undefined) =>
  exportRecords({ key: loadExportKey(readConfig(exportKeyConfig)), includePersonalData: includePersonalData ?? false });

/**
 * Where an export goes: standard output, or a file only its owner can read (an existing file
 * keeps its mode when opened, so it is set again).
 */
const openOut = async (path: string | undefined): Promise<Writable> => {
  if (!path) return process.stdout;
  const file = await open(path, 'w', 0o600);
  try {
    await file.chmod(0o600);
  } catch (error) {
    await file.close();
    throw error;
  }
  return file.createWriteStream();
};

const parseTypes = (types: string[] | undefined) => {
  for (const type of types ?? [])
    if (!isMarqueeEventType(type)) throw new UsageError(`"${type}" is not an event type Marquee writes.`);
  return types && types.length > 0 ? types : undefined;
};

const after = (moment: Moment | undefined, event: RecordedEvent) =>
  !moment || ('position' in moment ? event.position >= moment.position : event.createdAt >= moment.time);
const before = (moment: Moment | undefined, event: RecordedEvent) =>
  !moment || ('position' in moment ? event.position <= moment.position : event.createdAt <= moment.time);

export const eventsCommand = (program: Command) => {
  const events = program.command('events').description('read the event log');
  events
    .command('export')
    .description(
      'write events to NDJSON or CSV; personal data is pseudonymised (keyed by EXPORT_KEY) unless --include-personal-data',
    )
    .option('--type <types...>', 'only these event types')
    .option('--since <moment>', 'from this position or ISO time (inclusive)')
    .option('--until <moment>', 'up to this position or ISO time (inclusive)')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--include-personal-data', 'keep email addresses, profile names and IP addresses (never password hashes)')
    .action(
      async (options: {
        type?: string[];
        since?: string;
        until?: string;
        format: string;
        out?: string;
        includePersonalData?: boolean;
      }) => {
        if (options.format !== 'ndjson' && options.format !== 'csv')
          throw new UsageError(`--format must be ndjson or csv, not "${options.format}".`);
        const eventTypes = parseTypes(options.type);
        const since = options.since ? parseMoment(options.since, '--since') : undefined;
        const until = options.until ? parseMoment(options.until, '--until') : undefined;
        const toRecord = recordsFor(options.includePersonalData);
        const stores = await openStores();
        let count = 0;
        const lines = async function* () {
          if (options.format === 'csv') yield `${csvColumns.join(',')}\n`;
          const from = since && 'position' in since ? Math.max(0, since.position - 1) : 'start';
          for await (const event of stores.eventStore.readAll({ from, filter: { eventTypes } })) {
            if (!before(until, event)) break;
            if (!after(since, event)) continue;
            const record = toRecord(event);
            yield options.format === 'csv' ? csvLine(record) : `${JSON.stringify(record)}\n`;
            count++;
          }
        };
        try {
          const out = await openOut(options.out);
          // pipeline passes on an error of either end (a full disk, a closed pipe) and closes both.
          await pipeline(Readable.from(lines()), out, { end: out !== process.stdout });
        } finally {
          await stores.close();
        }
        if (options.out) console.error(`Exported ${count} event(s) to ${options.out}.`);
      },
    );
  events
    .command('tail')
    .description(
      'follow new events as NDJSON until Ctrl-C (personal data pseudonymised unless --include-personal-data)',
    )
    .option('--type <types...>', 'only these event types')
    .option('--include-personal-data', 'keep email addresses, profile names and IP addresses (never password hashes)')
    .action(async (options: { type?: string[]; includePersonalData?: boolean }) => {
      const eventTypes = parseTypes(options.type);
      const toRecord = recordsFor(options.includePersonalData);
      const stores = await openStores();
      const subscription = stores.eventStore.subscribe({ from: 'end', filter: { eventTypes } });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void subscription.close());
      try {
        const lines = async function* () {
          for await (const event of subscription) yield `${JSON.stringify(toRecord(event))}\n`;
        };
        await pipeline(Readable.from(lines()), process.stdout, { end: false });
      } finally {
        await stores.close();
      }
    });
};
