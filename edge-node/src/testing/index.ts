// `@marquee/edge-node/testing`: the edge program as a child process, for tests and benchmarks.
export * from './edge-process';
