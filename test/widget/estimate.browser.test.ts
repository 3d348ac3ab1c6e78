/**
 * The token estimate block in real Chromium: Liquid rendered by liquidjs into a product page and a
 * cart page on a localhost storefront that also answers /cart.js, the block's script updating the
 * figure on variant, quantity and cart changes; axe-clean, no layout shift. Screenshots go to
 * test-results/widget/.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from "../helpers/chromium";
import { ARTIFACTS_DIR, EXTENSION_DIR, REPO_DIR } from "./paths";
import {
  cartJson,
  estimatePage,
  renderEstimateBlock,
  USD_ESTIMATE,
  type CartItem,
} from "./render-estimate";

const AXE = `${REPO_DIR}node_modules/axe-core/axe.min.js`;
const skipReason = chromiumAvailable() ? "" : `Chromium is not installed at ${CHROMIUM_PATH}`;

async function startStorefront() {
  const pages: Record<string, string> = {};
  let cart: CartItem[] = [];
  const assets: Record<string, string> = {
    "/assets/sir-estimate.js": "text/javascript",
    "/assets/sir-estimate.css": "text/css",
  };
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://storefront");
    if (assets[pathname]) {
      response.writeHead(200, { "Content-Type": `${assets[pathname]}; charset=utf-8` });
      response.end(readFileSync(`${EXTENSION_DIR}${pathname.slice(1)}`));
    } else if (pathname === "/cart.js") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(cartJson(cart)));
    } else if (pages[pathname]) {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(pages[pathname]);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pages,
    setCart(items: CartItem[]) {
      cart = items;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function expectNoAxeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(): Promise<{
          violations: { id: string; help: string; nodes: { target: string[] }[] }[];
        }>;
      };
    };
    return (await axe.run()).violations;
  });
  expect(
    violations.map(
      (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    ),
  ).toEqual([]);
}

function trackLayoutShifts() {
  const state = window as unknown as { layoutShift: number };
  state.layoutShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as {
      value: number;
      hadRecentInput: boolean;
    }[]) {
      if (!entry.hadRecentInput) state.layoutShift += entry.value;
    }
  }).observe({ type: "layout-shift", buffered: true });
}

const estimateText = (page: Page) => page.locator("[data-sir-estimate]").textContent();

describe.skipIf(Boolean(skipReason))(
  skipReason ? `estimate block in Chromium (skipped: ${skipReason})` : "estimate block in Chromium",
  () => {
    let browser: Browser;
    let storefront: Awaited<ReturnType<typeof startStorefront>>;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      storefront = await startStorefront();
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await storefront?.close();
    });

    async function open(path: string) {
      const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
      await page.addInitScript(trackLayoutShifts);
      await page.goto(`${storefront.url}${path}`);
      await page.waitForLoadState("load");
      return page;
    }

    it("product page: follows the variant and the quantity, exactly (57.5 → 58)", async () => {
      const block = await renderEstimateBlock({
        settings: USD_ESTIMATE,
        page: {
          product: {
            variants: [
              { id: 11, price: 5000 },
              { id: 12, price: 8000 },
            ],
          },
        },
      });
      storefront.pages["/products/shirt"] = estimatePage(block, "product");
      const page = await open("/products/shirt");
      expect(await estimateText(page)).toBe("Earn ≈ 58 tokens with this order (estimate)");
      await expectNoAxeViolations(page);

      await page.fill("#qty", "3"); // 150 × 1.15 = 172.5 → 173
      await expect
        .poll(() => estimateText(page))
        .toBe("Earn ≈ 173 tokens with this order (estimate)");
      await page.selectOption("#variant", "12"); // 240 × 1.15 = 276
      await expect
        .poll(() => estimateText(page))
        .toBe("Earn ≈ 276 tokens with this order (estimate)");
      await page.screenshot({ path: `${ARTIFACTS_DIR}estimate-product.png`, fullPage: true });
      expect(
        await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift),
      ).toBe(0);
      await expectNoAxeViolations(page);
      await page.close();
    });

    it("cart page: recomputes from /cart.js on a cart change, leaving excluded products out", async () => {
      const items: CartItem[] = [
        { productId: 1, finalLinePrice: 10_000, quantity: 2, tags: ["shirt"] },
        { productId: 2, finalLinePrice: 1999, quantity: 1, tags: ["No-Rewards"] },
      ];
      storefront.setCart(items);
      const block = await renderEstimateBlock({ settings: USD_ESTIMATE, page: { cart: items } });
      storefront.pages["/cart"] = estimatePage(block, "cart");
      const page = await open("/cart");
      expect(await estimateText(page)).toBe("Earn ≈ 115 tokens with this order (estimate)");
      await expectNoAxeViolations(page);

      storefront.setCart([{ ...items[0], finalLinePrice: 15_000, quantity: 3 }, items[1]]);
      await page.fill("#qty", "3");
      await page.locator("#qty").dispatchEvent("change");
      await expect
        .poll(() => estimateText(page))
        .toBe("Earn ≈ 173 tokens with this order (estimate)");

      storefront.setCart([items[1]]); // only the excluded product: the block hides
      await page.evaluate(() => document.dispatchEvent(new CustomEvent("cart:updated")));
      await expect.poll(() => page.locator("[data-sir-estimate]").isHidden()).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS_DIR}estimate-cart.png`, fullPage: true });
      await expectNoAxeViolations(page);
      await page.close();
    });

    it("French, and a minimum the cart has not reached", async () => {
      const items: CartItem[] = [{ productId: 1, finalLinePrice: 2000, quantity: 1 }];
      storefront.setCart(items);
      const block = await renderEstimateBlock({
        settings: { ...USD_ESTIMATE, minimumOrderMinor: "2500" },
        page: { cart: items },
        locale: "fr",
      });
      storefront.pages["/fr/cart"] = estimatePage(block, "cart", "fr");
      const page = await open("/fr/cart");
      expect(await estimateText(page)).toBe(
        "Les commandes d’au moins 25.00 USD rapportent des jetons (estimation).",
      );
      storefront.setCart([{ ...items[0], finalLinePrice: 4000, quantity: 2 }]);
      await page.fill("#qty", "2");
      await page.locator("#qty").dispatchEvent("change");
      await expect
        .poll(() => estimateText(page))
        .toBe("Gagnez ≈ 46 jetons avec cette commande (estimation)");
      await expectNoAxeViolations(page);
      await page.close();
    });
  },
);
