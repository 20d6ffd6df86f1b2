// `@marquee/e2e/testing`: headless Chromium for any package's tests and benchmarks.
export type { Browser, BrowserContext, Page } from 'playwright-core';
export { chromiumArgs, chromiumPath, launchChromium } from './chromium';
