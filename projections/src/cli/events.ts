import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { isMarqueeEventType } from '@marquee/domain';
import type { RecordedEvent } from '@marquee/platform';
import type { Command } from 'commander';
import { type Moment, parseMoment, UsageError } from './moments';
import { openStores } from './stores';

/** Fields never exported: secrets always, personal data unless asked for. */
const secretFields = new Set(['passwordHash']);
const personalFields = new Set(['email']);

export const exportRecord = (event: RecordedEvent, includePersonalData: boolean) => ({
  position: event.position,
  recordedAt: event.createdAt.toISOString(),
  stream: event.streamName,
  type: event.type,
  schemaVersion: event.metadata.schemaVersion ?? 1,
  data: Object.fromEntries(
    Object.entries(event.data).filter(
      ([field]) => !secretFields.has(field) && (includePersonalData || !personalFields.has(field)),
    ),
  ),
});

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvColumns = ['position', 'recordedAt', 'stream', 'type', 'schemaVersion', 'data'] as const;

const write = async (out: Writable, text: string) => {
  if (!out.write(text)) await once(out, 'drain');
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
    .description('write events to NDJSON or CSV; email addresses are left out unless --include-personal-data')
    .option('--type <types...>', 'only these event types')
    .option('--since <moment>', 'from this position or ISO time (inclusive)')
    .option('--until <moment>', 'up to this position or ISO time (inclusive)')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--include-personal-data', 'keep email addresses')
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
        const stores = await openStores();
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        let count = 0;
        try {
          if (options.format === 'csv') await write(out, `${csvColumns.join(',')}\n`);
          const from = since && 'position' in since ? Math.max(0, since.position - 1) : 'start';
          for await (const event of stores.eventStore.readAll({ from, filter: { eventTypes } })) {
            if (!before(until, event)) break;
            if (!after(since, event)) continue;
            const record = exportRecord(event, options.includePersonalData ?? false);
            await write(
              out,
              options.format === 'csv'
                ? `${csvColumns.map((column) => csvCell(record[column])).join(',')}\n`
                : `${JSON.stringify(record)}\n`,
            );
            count++;
          }
        } finally {
          if (out !== process.stdout) {
            out.end();
            await once(out, 'finish');
          }
          await stores.close();
        }
        if (options.out) console.error(`Exported ${count} event(s) to ${options.out}.`);
      },
    );
  events
    .command('tail')
    .description('follow new events as NDJSON until Ctrl-C (email addresses left out unless --include-personal-data)')
    .option('--type <types...>', 'only these event types')
    .option('--include-personal-data', 'keep email addresses')
    .action(async (options: { type?: string[]; includePersonalData?: boolean }) => {
      const eventTypes = parseTypes(options.type);
      const stores = await openStores();
      const subscription = stores.eventStore.subscribe({ from: 'end', filter: { eventTypes } });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void subscription.close());
      try {
        for await (const event of subscription)
          await write(process.stdout, `${JSON.stringify(exportRecord(event, options.includePersonalData ?? false))}\n`);
      } finally {
        await stores.close();
      }
    });
};
