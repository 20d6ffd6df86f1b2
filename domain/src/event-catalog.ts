import { type AccountEvent, accountEventSchemas } from './account/account-events';
import { type EdgeEvent, edgeEventSchemas } from './edge/edge-events';
import { type EmailClaimEvent, emailClaimEventSchemas } from './email/email-claim';
import type { EventSchema } from './event-schema';
import { type PlaybackEvent, playbackEventSchemas } from './playback/playback-events';
import { type SeriesEvent, seriesEventSchemas } from './series/series-events';
import { type ServingEvent, servingEventSchemas } from './serving/serving-events';
import { type TitleEvent, titleEventSchemas } from './title/title-events';

export type MarqueeEvent =
  | AccountEvent
  | TitleEvent
  | SeriesEvent
  | PlaybackEvent
  | EdgeEvent
  | EmailClaimEvent
  | ServingEvent;
export type MarqueeEventType = MarqueeEvent['type'];

const catalog: ReadonlyMap<string, EventSchema> = new Map(
  [
    ...accountEventSchemas,
    ...titleEventSchemas,
    ...seriesEventSchemas,
    ...playbackEventSchemas,
    ...edgeEventSchemas,
    ...emailClaimEventSchemas,
    ...servingEventSchemas,
  ].map((schema) => [schema.type, schema as EventSchema]),
);

export const eventTypes = [...catalog.keys()] as MarqueeEventType[];

/** An event as it is stored: its type, its payload, and the schema version the payload follows. */
export type EncodedEvent = { type: string; data: Record<string, unknown>; schemaVersion: number };

export class UnknownEventType extends Error {
  constructor(readonly type: string) {
    super(`Event type "${type}" is not in Marquee's event catalog.`);
    this.name = 'UnknownEventType';
  }
}

export class InvalidEventPayload extends Error {
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly problems: string[],
  ) {
    super(`A ${type} event (schema v${schemaVersion}) does not match its schema: ${problems.join('; ')}.`);
    this.name = 'InvalidEventPayload';
  }
}

const schemaOf = (type: string): EventSchema => {
  const schema = catalog.get(type);
  if (!schema) throw new UnknownEventType(type);
  return schema;
};

const parse = (schema: EventSchema, version: number, data: unknown) => {
  const parsed = schema.schema.safeParse(data);
  if (!parsed.success)
    throw new InvalidEventPayload(
      schema.type,
      version,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'data'}: ${issue.message}`),
    );
  return parsed.data as Record<string, unknown>;
};

/** Validates an event against its current schema and stamps the version, for appending. */
export const encodeEvent = (event: MarqueeEvent): EncodedEvent => {
  const schema = schemaOf(event.type);
  return { type: event.type, data: parse(schema, schema.version, event.data), schemaVersion: schema.version };
};

/**
 * Brings a stored payload up to the current version without validating it: for replays of a
 * log whose events were validated when they were written.
 */
export const upcastEvent = (stored: EncodedEvent): MarqueeEvent =>
  ({ type: stored.type, data: upcastData(stored) }) as MarqueeEvent;

/** The payload of `upcastEvent`: the stored object itself when it is already current. */
export const upcastData = (stored: EncodedEvent): Record<string, unknown> => {
  const schema = schemaOf(stored.type);
  return stored.schemaVersion === schema.version ? stored.data : upcast(schema, stored);
};

const upcast = (schema: EventSchema, stored: EncodedEvent) => {
  let data = stored.data;
  for (let version = stored.schemaVersion; version < schema.version; version++) {
    const upcaster = schema.upcasters[version];
    if (!upcaster)
      throw new InvalidEventPayload(stored.type, stored.schemaVersion, [
        `no upcaster from v${version} to v${version + 1}`,
      ]);
    data = upcaster(data);
  }
  if (stored.schemaVersion > schema.version)
    throw new InvalidEventPayload(stored.type, stored.schemaVersion, [
      `written by a newer Marquee (this one knows up to v${schema.version})`,
    ]);
  return data;
};

/** Reads a stored event back: upcasts it step by step to the current version, then validates it. */
export const decodeEvent = (stored: EncodedEvent): MarqueeEvent => {
  const schema = schemaOf(stored.type);
  return { type: stored.type, data: parse(schema, stored.schemaVersion, upcast(schema, stored)) } as MarqueeEvent;
};

export const isMarqueeEventType = (type: string): type is MarqueeEventType => catalog.has(type);
