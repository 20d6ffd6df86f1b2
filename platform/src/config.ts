import { z } from 'zod';

/** A configuration value that cannot work; the message names each variable and what is wrong. */
export class InvalidConfig extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Marquee cannot start with this configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'InvalidConfig';
  }
}

/**
 * Reads environment variables through a schema whose every field has a working default,
 * so `npm start` needs nothing set, and a bad value stops the service at start.
 */
export const readConfig = <Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> => {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success)
    throw new InvalidConfig(
      parsed.error.issues.map((issue) => ({ variable: issue.path.join('.'), message: issue.message })),
    );
  return parsed.data;
};

/** The event store every service shares. */
export const eventStoreConfig = {
  EVENT_STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|esdb(\+discover)?:\/\/.+)$/, 'use sqlite:<file> or esdb://<host>:<port>?tls=false')
    .default('sqlite:./data/events.db'),
};
