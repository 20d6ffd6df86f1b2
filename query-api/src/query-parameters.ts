import { z } from 'zod';

/*
 * The parameters many endpoints share, each with the message a caller sees when it is wrong.
 * Query strings arrive as text, so numbers are coerced; the same schemas describe the
 * parameters in the OpenAPI document.
 */

/** A page size from 1 to `max`. */
export const limitParam = (defaultLimit = 20, max = 100) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(defaultLimit)
    .describe(`How many items to return, 1 to ${max} (default ${defaultLimit}).`);

export const cursorParam = z
  .string()
  .min(1, 'must not be empty; leave it out for the first page')
  .max(1000, 'is longer than any cursor this API gives out')
  .optional()
  .describe("The previous page's nextCursor, to read the page after it.");

/** The same rule the projections use to name snapshots. */
export const asOfParam = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/,
    'must be a snapshot name: 1 to 41 letters, digits, "-" or "_", starting with a letter or digit',
  )
  .optional()
  .describe('Read a time-travel snapshot of the views by its name instead of the live views.');

export const searchParam = z
  .string()
  .min(1, 'must not be empty; leave it out to list everything')
  .max(200, 'must be at most 200 characters')
  .optional()
  .describe('Only items whose name contains this text (any case).');

export const idParam = (what: string) =>
  z.string().min(1, `must name a ${what}`).max(128, `is longer than any ${what} id`).describe(`The ${what} id.`);

/** One of a fixed set of words, with a message that lists them. */
export const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
