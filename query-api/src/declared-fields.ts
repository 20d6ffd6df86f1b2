import type { z } from 'zod';

/**
 * A function that copies only the fields a response schema declares, in its order: whatever
 * a view's documents gain later is not sent until the schema says so.
 */
export const declaredFields = <Schema extends z.ZodObject>(schema: Schema) => {
  const fields = Object.keys(schema.shape) as (keyof z.output<Schema>)[];
  return (doc: z.output<Schema>): z.output<Schema> =>
    Object.fromEntries(fields.map((field) => [field, doc[field]])) as z.output<Schema>;
};
