// `@marquee/edge-node/testing`: the edge program as a child process, and seeded skewed demand, for tests, benchmarks and the simulator.
export * from './edge-process';
export * from './zipf-demand';
