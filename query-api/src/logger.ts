import { type Logger, pino } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** JSON lines on stdout; `silent` for tests. */
export const createLogger = (level: LogLevel): Logger => pino({ level, name: 'query-api' });
