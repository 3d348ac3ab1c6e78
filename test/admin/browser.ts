/**
 * Real Chromium (Debian's, never a downloaded browser) for the admin pages,
 * with Shopify's CDN stood in for: App Bridge's script and the admin's fonts
 * and images cannot load offline.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  CHROMIUM_PATH,
  chromiumAvailable,
  launchChromium as launchDebianChromium,
} from "../helpers/chromium";
import { shopCookie } from "./helpers";

export const CHROMIUM = CHROMIUM_PATH;
export const chromiumMissing = !chromiumAvailable();
export const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results", "admin");

// Enough of App Bridge for the pages to render as in the admin: the nav menu
// element (the admin shows its links in its own sidebar) and a toast.
const APP_BRIDGE_STAND_IN = `
  customElements.define("ui-nav-menu", class extends HTMLElement {
    connectedCallback() { this.style.display = "none"; }
  });
  window.shopify = { toast: { show() {} }, loading() {} };
`;
const PLACEHOLDER_IMAGE = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226"><circle cx="113" cy="113" r="90" fill="#e3e3e3"/></svg>`;

export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchDebianChromium();
}

/** A browser session signed in to the embedded app as `shop`. */
export async function adminSession(browser: Browser, appUrl: string, shop: string) {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    timezoneId: "UTC",
  });
  const [name, value] = shopCookie(shop).split("=");
  await context.addCookies([{ name, value, url: appUrl }]);
  await context.route("https://cdn.shopify.com/**", (route) => {
    const url = route.request().url();
    if (url.endsWith("/app-bridge.js")) {
      return route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STAND_IN });
    }
    if (url.endsWith(".css")) return route.fulfill({ contentType: "text/css", body: "" });
    return route.fulfill({ contentType: "image/svg+xml", body: PLACEHOLDER_IMAGE });
  });
  const page: Page = await context.newPage();
  return { context, page };
}

/** Waits until React has hydrated the page, so clicks reach its handlers. */
export async function openAdminPage(page: Page, appUrl: string, path: string) {
  await page.goto(new URL(path, appUrl).toString());
  await waitForHydration(page);
}

export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.waitForLoadState("networkidle");
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
