// `@marquee/platform/testing`: what tests, benchmarks and the demo seeding share. Node built-ins only.
export * from './spawned-process';
export * from './test-media';
