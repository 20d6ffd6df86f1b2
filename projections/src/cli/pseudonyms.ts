/*
 * What an analyst's export shows of people. Personal data (addresses, profile names, IP
 * addresses, the unsalted hash that names an email claim's stream) is replaced by a keyed
 * pseudonym: HMAC-SHA256 under a key analysts do not hold, so nobody can hash a known address
 * to find its person, yet the same person has the same pseudonym everywhere in an export (and
 * in every export made with the same key). Secrets (password hashes) are never shown as they are.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeEmail } from '@marquee/domain';
import { accessConfig, developmentSecretsPath, loadDevelopmentSecrets, type RecordedEvent } from '@marquee/platform';
import { z } from 'zod';

/** EXPORT_KEY, or a key derived from the embedded setup's development secrets in DATA_DIR. */
export const exportKeyConfig = {
  DATA_DIR: accessConfig.DATA_DIR,
  TOKEN_SECRET: accessConfig.TOKEN_SECRET,
  EXPORT_KEY: z.string().min(32, 'use at least 32 characters').optional(),
};

export const loadExportKey = (config: {
  DATA_DIR: string;
  TOKEN_SECRET?: string | undefined;
  EXPORT_KEY?: string | undefined;
}) => {
  if (config.EXPORT_KEY) return Buffer.from(config.EXPORT_KEY);
  const secret = config.TOKEN_SECRET ?? loadDevelopmentSecrets(developmentSecretsPath(config.DATA_DIR)).tokenSecret;
  // A key of its own, derived one way: knowing it tells nothing about the token secret.
  return Buffer.from(hkdfSync('sha256', secret, '', 'marquee export pseudonyms', 32));
};

/** Fields that hold a secret: pseudonymised even with --include-personal-data. */
const secretFields = new Set(['passwordHash']);
/** Fields that name a person wherever they appear; addresses and IPs are also found by their value. */
const personalFields = new Set(['email', 'ip', 'clientIp', 'remoteAddress', 'forwardedFor', 'userAgent']);
/** Fields that are personal in one event type only (a title's name is not a person's). */
const personalFieldsOf: Partial<Record<string, ReadonlySet<string>>> = { ProfileCreated: new Set(['name']) };
/** Stream categories whose id is derived from personal data. */
const personalStreamCategories = new Set(['email']);

const isEmail = (value: string) => value.includes('@') && z.email().safeParse(value.trim()).success;
const isPersonalValue = (value: string) => isIP(value) !== 0 || isEmail(value);

export type ExportRecord = {
  position: number;
  recordedAt: string;
  stream: string;
  type: string;
  schemaVersion: unknown;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

/** How events are shown in an export: `includePersonalData` keeps personal data, never secrets. */
export const exportRecords = (options: { key: Buffer; includePersonalData: boolean }) => {
  const { key, includePersonalData } = options;
  const pseudonym = (value: string) =>
    `anon-${createHmac('sha256', key)
      .update(isEmail(value) ? normalizeEmail(value) : value)
      .digest('base64url')
      .slice(0, 22)}`;
  const scrub = (value: unknown, field: string | undefined, personal: ReadonlySet<string>): unknown => {
    if (Array.isArray(value)) return value.map((item) => scrub(item, field, personal));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, scrub(inner, name, personal)]));
    if (field !== undefined && secretFields.has(field)) return typeof value === 'string' ? pseudonym(value) : null;
    if (includePersonalData || typeof value !== 'string') return value;
    if ((field !== undefined && (personalFields.has(field) || personal.has(field))) || isPersonalValue(value))
      return pseudonym(value);
    return value;
  };
  const stream = (name: string) => {
    const dash = name.indexOf('-');
    const category = name.slice(0, dash);
    return !includePersonalData && dash > 0 && personalStreamCategories.has(category)
      ? `${category}-${pseudonym(name.slice(dash + 1))}`
      : name;
  };
  return (event: RecordedEvent): ExportRecord => {
    const { schemaVersion = 1, ...metadata } = event.metadata;
    const personal = personalFieldsOf[event.type] ?? new Set<string>();
    return {
      position: event.position,
      recordedAt: event.createdAt.toISOString(),
      stream: stream(event.streamName),
      type: event.type,
      schemaVersion,
      data: scrub(event.data, undefined, personal) as Record<string, unknown>,
      metadata: scrub(metadata, undefined, new Set()) as Record<string, unknown>,
    };
  };
};
