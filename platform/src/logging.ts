import { pino } from 'pino';

/** JSON logs, one logger per service; `LOG_LEVEL` (default info, `silent` in tests) sets how much. */
export const createLogger = (service: string) =>
  pino({ name: service, level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info') });

export type Logger = ReturnType<typeof createLogger>;
