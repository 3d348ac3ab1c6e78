import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
// Lighthouse 12 (13 needs Node 22.19; the app supports Node 20) and the launcher it documents.
import lighthouse from "lighthouse";
import { launch } from "chrome-launcher";
import { startSandbox } from "../test/sir-sandbox/server";
import type { SandboxPartner } from "../test/helpers/pipeline";
import { renderBlock } from "../test/widget/render-liquid";
import { renderEstimateBlock, USD_ESTIMATE } from "../test/widget/render-estimate";
import { EXTENSION_DIR, WIDGET_CSS, WIDGET_JS } from "../test/widget/paths";
import { percentile } from "./stats";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const LOADS_PER_PAGE = 5;

/**
 * A plain product page of a test storefront. With the block, the head loads the block's
 * stylesheet and deferred script as Shopify does for an app block's schema.
 */
function productPage(block: string | null, asset = "sir-donate"): string {
  const assets = block
    ? `<link rel="stylesheet" href="/assets/${asset}.css">
    <script src="/assets/${asset}.js" defer></script>`
    : "";
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Organic cotton tee – Test store</title>
    <style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:24px}
    .product{display:grid;grid-template-columns:1fr 1fr;gap:32px}
    .product__image{width:100%;aspect-ratio:1;background:#d9e4dd}</style>
    ${assets}
  </head>
  <body>
    <header><strong>Test store</strong></header>
    <main class="product">
      <svg class="product__image" viewBox="0 0 10 10" role="img" aria-label="Tee"><rect width="10" height="10" fill="#d9e4dd"/></svg>
      <section>
        <h1>Organic cotton tee</h1>
        <p>$12.00</p>
        <p>Soft, breathable and made to last. Machine wash cold, tumble dry low.</p>
        <button type="button">Add to cart</button>
        ${block ?? ""}
      </section>
    </main>
  </body>
</html>`;
}

async function serveStorefront(pages: Record<string, string>) {
  const assets: Record<string, [string, string]> = {
    "/assets/sir-donate.js": [readFileSync(WIDGET_JS, "utf8"), "text/javascript"],
    "/assets/sir-donate.css": [readFileSync(WIDGET_CSS, "utf8"), "text/css"],
    "/assets/sir-estimate.js": [
      readFileSync(`${EXTENSION_DIR}assets/sir-estimate.js`, "utf8"),
      "text/javascript",
    ],
    "/assets/sir-estimate.css": [
      readFileSync(`${EXTENSION_DIR}assets/sir-estimate.css`, "utf8"),
      "text/css",
    ],
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://storefront").pathname;
    const asset = assets[path];
    const page = pages[path];
    if (asset)
      response.writeHead(200, { "Content-Type": `${asset[1]}; charset=utf-8` }).end(asset[0]);
    else if (page)
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type PaintMetrics = {
  fcpMs: number;
  lcpMs: number;
  cls: number;
  /** Sum of long tasks' time beyond 50 ms, as Lighthouse's Total Blocking Time counts it. */
  blockingMs: number;
};

/**
 * Runs in the page: the buffered performance entries of the load so far. No named inner
 * functions: tsx would wrap them in a helper the page does not have.
 */
function readPaintMetrics(): Promise<PaintMetrics> {
  const types = ["largest-contentful-paint", "layout-shift", "longtask"];
  return Promise.all(
    types.map(
      (type) =>
        new Promise<PerformanceEntry[]>((resolve) => {
          const observer = new PerformanceObserver((list) => {
            observer.disconnect();
            resolve(list.getEntries());
          });
          observer.observe({ type, buffered: true });
          // A type with no entries never calls back.
          setTimeout(() => resolve([]), 500);
        }),
    ),
  ).then(([paints, shifts, longTasks]) => ({
    fcpMs: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0,
    lcpMs: paints.at(-1)?.startTime ?? 0,
    cls: (shifts as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
      .filter((shift) => !shift.hadRecentInput)
      .reduce((sum, shift) => sum + shift.value, 0),
    blockingMs: longTasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0),
  }));
}

/**
 * Paint metrics of one page in Chromium with Lighthouse's mobile throttling applied through
 * DevTools (4× CPU slowdown, 150 ms RTT, 1.6 Mbit/s): median of several cold loads. These are
 * the metrics a Lighthouse score is made of, not the score itself.
 */
async function paintMetrics(browser: Browser, url: string): Promise<PaintMetrics> {
  const runs: PaintMetrics[] = [];
  for (let run = 0; run < LOADS_PER_PAGE; run++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto(url, { waitUntil: "networkidle" });
    runs.push(await page.evaluate(readPaintMetrics));
    await context.close();
  }
  const median = (pick: (metrics: PaintMetrics) => number) =>
    percentile(
      runs.map(pick).sort((a, b) => a - b),
      50,
    );
  return {
    fcpMs: median((m) => m.fcpMs),
    lcpMs: median((m) => m.lcpMs),
    cls: median((m) => m.cls),
    blockingMs: median((m) => m.blockingMs),
  };
}

/** Lighthouse's performance score (mobile defaults, median of 3) in Debian's Chromium. */
async function lighthouseScores(urls: string[]): Promise<number[]> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS });
  try {
    const scores: number[] = [];
    for (const url of urls) {
      const runs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const result = await lighthouse(url, {
          port: chrome.port,
          onlyCategories: ["performance"],
          output: "json",
          logLevel: "error",
        });
        const score = result?.lhr.categories.performance.score;
        if (typeof score !== "number") throw new Error(`Lighthouse gave no score for ${url}`);
        runs.push(Math.round(score * 100));
      }
      scores.push(
        percentile(
          runs.sort((a, b) => a - b),
          50,
        ),
      );
    }
    return scores;
  } finally {
    chrome.kill();
  }
}

export type StorefrontRun = {
  withoutBlock: PaintMetrics;
  withBlock: PaintMetrics;
  lighthouse: { withoutBlock: number; withBlock: number };
};

/** The test storefront's product page with and without the donate block, against the sandbox. */
export async function measureStorefront(): Promise<StorefrontRun> {
  const sandbox = await startSandbox({ port: 0 });
  const partner = (await (
    await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
  ).json()) as SandboxPartner;
  const block = await renderBlock({
    metafields: {
      publishable_key: partner.publicKey,
      api_base_url: sandbox.url,
      environment: "sandbox",
      default_nonprofit: "american-red-cross",
      configured: true,
    },
  });
  try {
    return await compareProductPages(block);
  } finally {
    await sandbox.close();
  }
}

/** Paint metrics and Lighthouse scores of the plain product page and of it with `block`. */
async function compareProductPages(block: string, asset?: string): Promise<StorefrontRun> {
  const storefront = await serveStorefront({
    "/products/plain": productPage(null),
    "/products/with-block": productPage(block, asset),
  });
  const withoutUrl = `${storefront.url}/products/plain`;
  const withUrl = `${storefront.url}/products/with-block`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const withoutBlock = await paintMetrics(browser, withoutUrl);
    const withBlock = await paintMetrics(browser, withUrl);
    const [withoutBlockScore, withBlockScore] = await lighthouseScores([withoutUrl, withUrl]);
    return {
      withoutBlock,
      withBlock,
      lighthouse: { withoutBlock: withoutBlockScore, withBlock: withBlockScore },
    };
  } finally {
    await browser.close();
    await storefront.close();
  }
}

/**
 * The same product page with and without the token estimate block (blocks/sir-estimate.liquid,
 * rendered with the estimate metafield as the app writes it: USD, a 1.15 campaign). The block
 * makes no network call on load, so no sandbox is needed.
 */
export async function measureEstimateStorefront(): Promise<StorefrontRun> {
  const block = await renderEstimateBlock({
    settings: USD_ESTIMATE,
    page: { product: { variants: [{ id: 11, price: 1200 }] } },
  });
  return compareProductPages(block, "sir-estimate");
}
