import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

// Debian's Chromium (apt package `chromium`); never a downloaded browser.
export const CHROMIUM_PATH = "/usr/bin/chromium";

// Headless as root, and quiet: without the background-networking flags
// Chromium keeps dialling Google's hosts, which this network refuses.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const chromiumAvailable = () => existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
