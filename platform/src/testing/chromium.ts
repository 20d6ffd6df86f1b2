/*
 * Headless Chromium: the system one (never a downloaded build), driven by playwright-core.
 */
import { type Browser, chromium } from 'playwright-core';

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

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
