/**
 * `shopify app build` offline, as Shopify's CLI bundles UI extensions (esbuild, target es6,
 * minified): the four shopper extensions' bundles exist, stay within Shopify's 64 KB limit for a
 * compiled script, carry the app URL of the build's environment, and run: each bundle is executed
 * against a stand-in `shopify` global and DOM, and says the contract's words.
 *
 * The build runs on a copy of the app holding only these extensions and the files they bundle
 * (node_modules linked), so it neither races test/foundation/shopify-app-build.test.ts over the
 * same dist/ files nor leaves bundles in the working tree.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EstimateSettings } from "../../app/shopper/contract";
import { translateFrom, type LocaleDictionary } from "./i18n";
import { fakeDocument, type FakeNode } from "./test/fake-dom";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXTENSIONS = [
  "sir-order-reward",
  "sir-customer-account",
  "sir-customer-profile",
  "sir-checkout-estimate",
] as const;
const copy = mkdtempSync(join(tmpdir(), "sir-extensions-build-"));
const bundle = (ext: string) => join(copy, "extensions", ext, "dist", `${ext}.js`);
const BUNDLED = [
  "shopify.app.toml",
  "package.json",
  "tsconfig.json",
  "app/shopper/contract.ts",
  "app/shopper/estimate.ts",
  "extensions/sir-shopper-lib",
  ...EXTENSIONS.map((ext) => `extensions/${ext}`),
];
const APP_URL = "https://sir-rewards-build.test";
const LIMIT = 64 * 1024;

let buildOutput = "";

beforeAll(async () => {
  for (const path of BUNDLED) {
    cpSync(join(root, path), join(copy, path), {
      recursive: true,
      filter: (source) => !/[\\/]dist$/.test(source),
    });
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      join(root, "node_modules/@shopify/cli/bin/run.js"),
      "app",
      "build",
      "--path",
      copy,
      "--skip-dependencies-installation",
      "--no-color",
    ],
    {
      cwd: copy,
      env: { ...process.env, SHOPIFY_APP_URL: APP_URL, APP_URL: "", CI: "1" },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 240_000,
    },
  );
  buildOutput = stdout + stderr;
}, 300_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Runs a bundle the way the sandbox does: the CLI's entry calls shopify.extend(target, fn). */
async function run(
  ext: string,
  shopify: Record<string, unknown>,
  fetchImpl: typeof fetch,
  timeScale = 1,
) {
  const document = fakeDocument();
  const targets: Record<string, () => Promise<void>> = {};
  const context = vm.createContext({
    shopify: {
      ...shopify,
      extend: (target: string, fn: () => Promise<void>) => (targets[target] = fn),
    },
    document,
    fetch: fetchImpl,
    setTimeout: (fn: () => void, ms = 0) => setTimeout(fn, ms * timeScale),
    clearTimeout,
    AbortController,
    Promise,
    console,
  });
  vm.runInContext(readFileSync(bundle(ext), "utf8"), context);
  rendered = document.body;
  return { targets, document };
}

// Preact runs effects after the next frame (35 ms without requestAnimationFrame); then the fetch.
// Waits until the block has left its skeleton (and rendered anything at all), up to 5 s on a
// busy machine, then a little more for any further renders.
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let rendered: FakeNode | null = null;
async function settle() {
  const started = Date.now();
  while (Date.now() - started < 5000) {
    const body = rendered;
    if (body && body.childNodes.length > 0 && body.findAll("s-skeleton-paragraph").length === 0)
      break;
    await pause(20);
  }
  await pause(150);
}
const texts = (body: FakeNode) => body.findAll("s-text").map((n) => n.textContent);

function api(ext: string, locale = "en") {
  const dictionary = JSON.parse(
    readFileSync(
      join(
        root,
        "extensions",
        ext,
        "locales",
        locale === "en" ? "en.default.json" : `${locale}.json`,
      ),
      "utf8",
    ),
  ) as LocaleDictionary;
  return {
    i18n: {
      translate: (key: string, values?: Record<string, string | number>) =>
        translateFrom(dictionary, locale, key, values),
    },
    localization: { language: { value: { isoCode: locale } } },
    sessionToken: { get: async () => "session-token" },
  };
}

describe("shopify app build (offline)", () => {
  it("builds every shopper extension, each within 64 KB, with the app URL of the build's environment", () => {
    expect(buildOutput).toMatch(/built!/);
    // No esbuild warnings (e.g. bigint literals or `**` on bigints under the CLI's es6 target).
    expect(buildOutput).not.toMatch(/WARNING|Big integer/i);
    for (const ext of EXTENSIONS) {
      const size = statSync(bundle(ext)).size;
      expect(size, ext).toBeGreaterThan(1000);
      expect(size, ext).toBeLessThanOrEqual(LIMIT);
    }
    for (const ext of ["sir-order-reward", "sir-customer-account", "sir-customer-profile"]) {
      expect(readFileSync(bundle(ext), "utf8")).toContain(APP_URL);
    }
    // The estimate makes no call: no fetch and no app URL in its bundle.
    const estimate = readFileSync(bundle("sir-checkout-estimate"), "utf8");
    expect(estimate).not.toMatch(/\bfetch\(/);
    expect(estimate).not.toContain(APP_URL);
  });

  it("thank-you: asks the app with the session token, says what the order earned and what a refund took back", async () => {
    const calls: [string, RequestInit][] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(
        JSON.stringify({
          state: "earned",
          unit: { one: "token", other: "tokens" },
          estimatedUnits: 50,
          awardedUnits: 50,
          reversedUnits: 30,
          owedUnits: 0,
          balanceUrl: "https://shop.test/account/pages/1",
        }),
        { status: 200 },
      );
    }) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-order-reward",
      {
        ...api("sir-order-reward"),
        orderConfirmation: { value: { order: { id: "gid://shopify/OrderIdentity/42" } } },
      },
      fetchImpl,
    );
    await targets["purchase.thank-you.block.render"]();
    await settle();
    expect(calls[0][0]).toBe(`${APP_URL}/api/shopper/orders/42/reward`);
    expect((calls[0][1].headers as Record<string, string>).Authorization).toBe(
      "Bearer session-token",
    );
    expect(texts(document.body)).toEqual([
      "You earned 50 tokens for this order.",
      "30 tokens were taken back with your refund.",
    ]);
    // The app's balanceUrl wins over the sentence a thank-you page says without one.
    expect(document.body.findAll("s-link").map((n) => n.attributes.href)).toEqual([
      "https://shop.test/account/pages/1",
    ]);
  });

  it("thank-you before the app has heard of the order: hidden, asked again, then the estimate", async () => {
    const unit = { one: "token", other: "tokens" };
    const none = {
      state: "none",
      unit,
      estimatedUnits: null,
      awardedUnits: null,
      reversedUnits: 0,
      owedUnits: 0,
      balanceUrl: null,
    };
    const answers = [none, none, { ...none, state: "estimated", estimatedUnits: 58 }];
    let calls = 0;
    const fetchImpl = (async () =>
      new Response(JSON.stringify(answers[Math.min(calls++, 2)]), {
        status: 200,
      })) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-order-reward",
      {
        ...api("sir-order-reward"),
        orderConfirmation: { value: { order: { id: "gid://shopify/OrderIdentity/43" } } },
      },
      fetchImpl,
      0.01, // 3 s and 7 s between asks become 30 and 70 ms
    );
    await targets["purchase.thank-you.block.render"]();
    await settle();
    expect(calls).toBe(3);
    // Checkout is outside customer accounts: where to see the balance, in words, no link.
    expect(texts(document.body)).toEqual([
      "You'll earn about 58 tokens for this order.",
      "See your balance in your account.",
    ]);
    expect(document.body.findAll("s-link")).toHaveLength(0);
    await settle();
    expect(calls).toBe(3); // a real answer ends the asking
  });

  it("order status during an outage: on its way, never an error", async () => {
    const down = (async () => new Response("down", { status: 503 })) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-order-reward",
      {
        ...api("sir-order-reward", "fr"),
        order: { value: { id: "gid://shopify/Order/7", name: "#1007" } },
      },
      down,
    );
    await targets["customer-account.order-status.block.render"]();
    await settle();
    expect(texts(document.body)).toEqual([
      "Votre récompense pour cette commande arrive bientôt. Revenez un peu plus tard.",
    ]);
  });

  it("order status, logged in: links to the app's customer account page", async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          state: "earned",
          unit: { one: "token", other: "tokens" },
          estimatedUnits: 5,
          awardedUnits: 5,
          reversedUnits: 0,
          owedUnits: 0,
          balanceUrl: null,
        }),
        { status: 200 },
      )) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-order-reward",
      {
        ...api("sir-order-reward", "es"),
        order: { value: { id: "gid://shopify/Order/8", name: "#1008" } },
        authenticationState: { value: "fully_authenticated" },
      },
      fetchImpl,
    );
    await targets["customer-account.order-status.block.render"]();
    await settle();
    expect(texts(document.body)).toHaveLength(1);
    const links = document.body.findAll("s-link");
    expect(links.map((n) => n.attributes.href)).toEqual(["extension:sir-customer-account/"]);
    expect(links[0].textContent).toBe("Ver tu saldo");
  });

  it("customer account page: balance, debt, history", async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          unit: { one: "token", other: "tokens" },
          balance: 1200,
          owedUnits: 12,
          history: [
            {
              orderName: "#1001",
              date: "2026-11-01T10:00:00Z",
              awardedUnits: 50,
              reversedUnits: 30,
              state: "earned",
            },
          ],
        }),
        { status: 200 },
      )) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-customer-account",
      api("sir-customer-account", "de"),
      fetchImpl,
    );
    await targets["customer-account.page.render"]();
    await settle();
    expect(document.body.findAll("s-heading")[0].textContent).toBe("Guthaben: 1.200 tokens");
    const all = texts(document.body);
    expect(all[0]).toMatch(/^Du schuldest 12 tokens/);
    expect(all).toContain("50 tokens erhalten");
    expect(all).toContain("30 tokens mit einer Erstattung zurückgebucht");
  });

  it("profile block: the balance and a link to the page", async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          unit: { one: "token", other: "tokens" },
          balance: 1,
          owedUnits: 0,
          history: [],
        }),
        {
          status: 200,
        },
      )) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-customer-profile",
      api("sir-customer-profile"),
      fetchImpl,
    );
    await targets["customer-account.profile.block.render"]();
    await settle();
    expect(texts(document.body)).toEqual(["Balance: 1 token"]);
    expect(document.body.findAll("s-link")).toHaveLength(1);
  });

  it("checkout estimate: from the metafield and the cart, exact in the es6 bundle, no network", async () => {
    const settings: EstimateSettings = {
      version: 1,
      unit: { one: "token", other: "tokens" },
      currency: "USD",
      exponent: 2,
      unitsPerMajor: "1",
      multiplier: "1.15",
      includeShipping: false,
      includeTax: false,
      minimumOrderMinor: null,
      excludedProductTags: [],
      updatedAt: "2026-12-01T00:00:00Z",
    };
    const money = (amount: number) => ({ amount, currencyCode: "USD" });
    const noFetch = (async () => {
      throw new Error("checkout must not call the network");
    }) as unknown as typeof fetch;
    const { targets, document } = await run(
      "sir-checkout-estimate",
      {
        ...api("sir-checkout-estimate"),
        appMetafields: {
          value: [
            {
              target: { type: "shop", id: "gid://shopify/Shop/1" },
              metafield: {
                namespace: "app--1",
                key: "reward_estimate",
                value: JSON.stringify(settings),
                valueType: "json_string",
                type: "json",
              },
            },
          ],
        },
        lines: {
          value: [{ cost: { totalAmount: money(30) } }, { cost: { totalAmount: money(20) } }],
        },
        discountAllocations: { value: [] },
        cost: {
          subtotalAmount: { value: money(50) },
          totalShippingAmount: { value: money(5) },
          totalTaxAmount: { value: money(4) },
        },
      },
      noFetch,
    );
    await targets["purchase.checkout.block.render"]();
    await settle();
    // 50.00 × 1 × 1.15 = 57.5 → 58 (round half up, exact; a float product gives 57.49… → 57).
    expect(texts(document.body)).toEqual([
      "Earn ≈ 58 tokens with this order",
      "An estimate: the exact amount is confirmed after payment.",
    ]);
  });
});
