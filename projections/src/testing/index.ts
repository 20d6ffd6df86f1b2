// `@marquee/projections/testing`: generated event logs for tests and benchmarks.
export * from '../sample-log/demand-log';
export * from '../sample-log/realistic-log';
