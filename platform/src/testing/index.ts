// `@marquee/platform/testing`: what tests, benchmarks and the demo seeding share (Node built-ins, and
// playwright-core for the system Chromium; never imported by a service).

export type { Browser, BrowserContext, Page } from 'playwright-core';
export { chromiumArgs, chromiumPath, launchChromium } from './chromium';
export * from './redis-server';
export * from './sparse-positions';
export * from './spawned-process';
export * from './test-media';
