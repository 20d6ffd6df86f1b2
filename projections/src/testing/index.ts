// `@marquee/projections/testing`: a large, realistic event log for tests and benchmarks.
export * from '../sample-log/realistic-log';
