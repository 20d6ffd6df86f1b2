/*
 * Headless Chromium: the system one (never a downloaded build), driven by playwright-core.
 */
// Loaded when a browser is launched, not with the testing entry (the demo seeding uses its clips).
import type { Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // A viewer presses play; the tests cannot make a user gesture, so autoplay is allowed instead.
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
];

export const launchChromium = async (): Promise<Browser> => {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
};
