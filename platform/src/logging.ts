import { pino } from 'pino';
import { z } from 'zod';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** How much a service logs; `silent` for tests. */
export const logConfig = { LOG_LEVEL: z.enum(logLevels).default('info') };

const levelFromEnvironment = (): LogLevel => {
  const level = process.env.LOG_LEVEL;
  if (level && (logLevels as readonly string[]).includes(level)) return level as LogLevel;
  return process.env.VITEST ? 'silent' : 'info';
};

/** JSON logs on stdout, one logger per service. */
export const createLogger = (service: string, level: LogLevel = levelFromEnvironment()) =>
  pino({ name: service, level });

export type Logger = ReturnType<typeof createLogger>;
