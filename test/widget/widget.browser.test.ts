/**
 * The donate block in real Chromium: Liquid rendered by liquidjs into a page served on one
 * localhost origin, talking to the SIR sandbox on another (so CORS is exercised). Screenshots go
 * to test-results/widget/.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM_PATH as CHROMIUM, chromiumAvailable, launchChromium } from "../helpers/chromium";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nonDefaultCurrencyExponents } from "../../app/rewards/calculation/currency";
import { ARTIFACTS_DIR, REPO_DIR, WIDGET_CSS, WIDGET_JS } from "./paths";
import {
  renderBlock,
  storefrontPage,
  type RenderOptions,
  type SirMetafields,
} from "./render-liquid";

const SANDBOX_MODULE = new URL("../sir-sandbox/server.ts", import.meta.url);
const AXE = `${REPO_DIR}node_modules/axe-core/axe.min.js`;
const NONPROFIT = "american-red-cross";
const PRODUCT_PATH = "/products/widget?variant=1";

interface Sandbox {
  url: string;
  close(): Promise<void> | void;
  state: { donations: Map<string, Record<string, unknown>> };
}
interface SandboxPartner {
  publicKey: string;
}

const skipReason = !chromiumAvailable()
  ? `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(fileURLToPath(SANDBOX_MODULE))
    ? "the SIR sandbox (test/sir-sandbox/server.ts) does not exist yet"
    : "";
if (skipReason) console.warn(`Skipping the widget browser test: ${skipReason}.`);

/** Serves whatever page the test sets, and the extension's assets as Shopify's CDN would. */
async function startStorefront() {
  let html = "";
  const assets: Record<string, [string, string]> = {
    "/assets/sir-donate.js": [WIDGET_JS, "text/javascript"],
    "/assets/sir-donate.css": [WIDGET_CSS, "text/css"],
  };
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://storefront");
    const asset = assets[pathname];
    if (asset) {
      response.writeHead(200, { "Content-Type": `${asset[1]}; charset=utf-8` });
      response.end(readFileSync(asset[0]));
    } else if (pathname.startsWith("/products/")) {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setPage(page: string) {
      html = page;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function postJson(url: string, body?: unknown, method = "POST") {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${url} → ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core's default rules (WCAG 2 A/AA and best practices) on the page as it is now. */
async function expectNoAxeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(): Promise<{ violations: AxeViolation[] }> };
    };
    return (await axe.run()).violations;
  });
  const described = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
  );
  expect(described).toEqual([]);
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png`, fullPage: true });
}

interface LayoutShift {
  value: number;
  hadRecentInput: boolean;
}

// Sums unexpected layout shifts from the first paint on (Chromium's layout-shift entries).
function trackLayoutShifts() {
  const state = window as unknown as { layoutShift: number };
  state.layoutShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as LayoutShift[]) {
      if (!entry.hadRecentInput) state.layoutShift += entry.value;
    }
  }).observe({ type: "layout-shift", buffered: true });
}

const title = "donate widget in Chromium against the SIR sandbox";
const suiteTitle = skipReason ? `${title} (skipped: ${skipReason})` : title;
describe.skipIf(Boolean(skipReason))(suiteTitle, () => {
  let sandbox: Sandbox;
  let storefront: Awaited<ReturnType<typeof startStorefront>>;
  let browser: Browser;
  let metafields: SirMetafields;
  let nonprofitName: string;
  const pageErrors: string[] = [];

  const render = async (options: RenderOptions & { embed?: boolean } = {}) => {
    const block = await renderBlock({ metafields, ...options, block: "donate" });
    const embed = options.embed
      ? await renderBlock({ metafields, ...options, block: "donate-embed" })
      : "";
    storefront.setPage(
      storefrontPage({
        main: options.embed ? "<p>Product details</p>" : block,
        body: embed,
        locale: options.locale,
      }),
    );
  };

  const openPage = async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.addInitScript(trackLayoutShifts);
    await page.goto(storefront.url + PRODUCT_PATH);
    return page;
  };

  const statusOf = (page: Page) => page.locator("[data-sir-status]").first();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const { startSandbox } = (await import(SANDBOX_MODULE.href)) as {
      startSandbox(options: { port: number }): Promise<Sandbox>;
    };
    sandbox = await startSandbox({ port: 0 });
    const partner = (await postJson(`${sandbox.url}/__sandbox/partners`, {
      name: "Widget Test Shop",
      tipConfig: { enabled: true, defaultPercent: 10 },
    })) as SandboxPartner;
    metafields = {
      publishable_key: partner.publicKey,
      api_base_url: sandbox.url,
      environment: "sandbox",
      default_nonprofit: NONPROFIT,
      configured: true,
      minor_units: nonDefaultCurrencyExponents(), // as the app writes it (a json metafield)
    };
    const nonprofit = await fetch(`${sandbox.url}/v1/partner/organizations/${NONPROFIT}`, {
      headers: { "X-Partner-Key": partner.publicKey },
    });
    nonprofitName = ((await nonprofit.json()) as { name: string }).name;
    storefront = await startStorefront();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await storefront?.close();
    await sandbox?.close();
    expect(pageErrors).toEqual([]);
  });

  it(
    "takes a donation through the sandbox checkout and thanks the donor with the token count",
    { timeout: 60_000 },
    async () => {
      await render();
      const page = await openPage();
      await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
      await page
        .locator(".sir-donate__tip", { hasText: "Add a 10% tip" })
        .waitFor({ state: "visible" });
      expect(
        await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift),
      ).toBe(0);
      await screenshot(page, "1-loaded");
      await expectNoAxeViolations(page);

      // Keyboard: Tab reaches the amounts; Space and Enter both choose one.
      const amounts = page.locator(".sir-donate__amount");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("$10.00");
      await page.keyboard.press("Space");
      expect(await amounts.nth(0).getAttribute("aria-pressed")).toBe("true");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      expect(await amounts.nth(0).getAttribute("aria-pressed")).toBe("false");
      expect(await amounts.nth(1).getAttribute("aria-pressed")).toBe("true");
      // The check mark is decoration: the accessible name stays the amount.
      expect(
        await page.getByRole("button", { name: "$25.00", exact: true, pressed: true }).count(),
      ).toBe(1);
      await page.getByLabel("Add a 10% tip").check();
      await page.getByLabel("Email (optional)").fill("jane@example.com");
      await screenshot(page, "2-chosen");

      await Promise.all([
        page.waitForURL(/\/__sandbox\/checkout\//),
        page.locator(".sir-donate__submit").click(),
      ]);
      const donationId = decodeURIComponent(page.url().split("/").pop() ?? "");
      expect(sandbox.state.donations.get(donationId)).toMatchObject({
        nonprofitSlug: NONPROFIT,
        amountCents: 2500,
        currency: "USD",
        frequency: "once",
        provider: "stripe",
        donorEmail: "jane@example.com",
        tipPercent: 10,
        returnUrl: storefront.url + PRODUCT_PATH,
      });
      await screenshot(page, "3-sandbox-checkout");

      await Promise.all([
        page.waitForURL((url) => url.origin === storefront.url),
        page.getByRole("button", { name: "Pay" }).click(),
      ]);
      const thanks = statusOf(page).filter({
        hasText: /Thank you — you earned \d+ SIR tokens?\./,
      });
      await thanks.waitFor();
      const tokens = sandbox.state.donations.get(donationId)?.tokensDistributed;
      expect(tokens).toBeGreaterThan(0);
      expect(await thanks.textContent()).toBe(`Thank you — you earned ${tokens} SIR tokens.`);
      expect(page.url()).toBe(storefront.url + PRODUCT_PATH);
      expect(await page.evaluate(() => sessionStorage.getItem("sir-donate:pending"))).toBeNull();
      await screenshot(page, "4-thank-you");
      await expectNoAxeViolations(page);
      await page.close();
    },
  );

  it(
    "shows an error with a working Retry while the SIR API is down",
    { timeout: 60_000 },
    async () => {
      await render();
      await postJson(`${sandbox.url}/__sandbox/faults`, { outage: true });
      const page = await openPage();
      const retry = page.getByRole("button", { name: "Try again" });
      await retry.waitFor();
      expect(await statusOf(page).textContent()).toBe(
        "We could not reach SIR Giving. Check your connection and try again.",
      );
      expect(await page.locator("[data-sir-name]").textContent()).toBe("");
      await screenshot(page, "5-outage");
      await expectNoAxeViolations(page);

      await postJson(`${sandbox.url}/__sandbox/faults`, undefined, "DELETE");
      await retry.click();
      await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
      await retry.waitFor({ state: "hidden" });
      expect(await statusOf(page).textContent()).toBe("");

      // A donation attempt during an outage leaves the button usable and Retry finishes the job.
      await postJson(`${sandbox.url}/__sandbox/faults`, { outage: true });
      await page.getByRole("button", { name: "$50.00" }).click();
      await page.locator(".sir-donate__submit").click();
      await retry.waitFor();
      expect(await page.locator(".sir-donate__submit").getAttribute("aria-disabled")).toBeNull();
      await screenshot(page, "6-outage-donate");
      await postJson(`${sandbox.url}/__sandbox/faults`, undefined, "DELETE");
      await Promise.all([page.waitForURL(/\/__sandbox\/checkout\//), retry.click()]);
      await page.close();
    },
  );

  it(
    "tells the donor when the checkout was cancelled or the donation is unknown",
    { timeout: 30_000 },
    async () => {
      await render();
      const page = await openPage();
      await page.getByRole("button", { name: "$10.00" }).click();
      await Promise.all([
        page.waitForURL(/\/__sandbox\/checkout\//),
        page.locator(".sir-donate__submit").click(),
      ]);
      await Promise.all([
        page.waitForURL((url) => url.origin === storefront.url),
        page.getByRole("button", { name: "Cancel" }).click(),
      ]);
      await statusOf(page)
        .filter({ hasText: "Your donation did not go through. You can try again." })
        .waitFor();
      expect(page.url()).toBe(storefront.url + PRODUCT_PATH);

      await page.goto(`${storefront.url}${PRODUCT_PATH}&sir_donation_id=000000000000000000000000`);
      await statusOf(page).filter({ hasText: "We could not find that donation." }).waitFor();
      expect(page.url()).toBe(storefront.url + PRODUCT_PATH);
      await page.close();
    },
  );

  it("remembers the donation when the shopper comes back without the return link", async () => {
    await render();
    const page = await openPage();
    await page.getByRole("button", { name: "$100.00" }).click();
    await Promise.all([
      page.waitForURL(/\/__sandbox\/checkout\//),
      page.locator(".sir-donate__submit").click(),
    ]);
    const checkout = page.url();
    const donationId = decodeURIComponent(checkout.split("/").pop() ?? "");

    // Still unpaid: the first page back polls quietly, nothing to announce; the id is kept,
    // marked seen (".") so that later pages check it once.
    await page.goto(storefront.url + PRODUCT_PATH);
    await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
    await page.waitForTimeout(500);
    expect(await statusOf(page).textContent()).toBe("");
    const pending = () => page.evaluate(() => sessionStorage.getItem("sir-donate:pending"));
    expect(await pending()).toBe(`.${donationId}`);

    // Paid elsewhere (say, in another tab): the next page view thanks the donor.
    await fetch(`${checkout}/pay`, { method: "POST", redirect: "manual" });
    await page.reload();
    await statusOf(page)
      .filter({ hasText: /Thank you — you earned \d+ SIR tokens\./ })
      .waitFor();
    expect(await pending()).toBeNull();
    await page.close();
  });

  it.each(["no-param", "ignored"] as const)(
    "polls the remembered donation when SIR's checkout comes back without sir_donation_id (returnUrl %s)",
    { timeout: 30_000 },
    async (donationReturnUrl) => {
      await postJson(`${sandbox.url}/__sandbox/behaviour`, { donationReturnUrl });
      try {
        await render();
        const page = await openPage();
        await page.getByRole("button", { name: "$25.00" }).click();
        await Promise.all([
          page.waitForURL(/\/__sandbox\/checkout\//),
          page.locator(".sir-donate__submit").click(),
        ]);
        const checkout = page.url();
        const donationId = decodeURIComponent(checkout.split("/").pop() ?? "");
        if (donationReturnUrl === "no-param") {
          // Paid, then sent back to the page as given: no id in the URL.
          await Promise.all([
            page.waitForURL((url) => url.origin === storefront.url),
            page.getByRole("button", { name: "Pay" }).click(),
          ]);
          expect(page.url()).toBe(storefront.url + PRODUCT_PATH);
        } else {
          // SIR keeps the shopper on its own page; they come back before the payment settles.
          await page.goto(storefront.url + PRODUCT_PATH);
          await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
          await page.waitForTimeout(1200);
          expect(await statusOf(page).textContent()).toBe("");
          await fetch(`${checkout}/pay`, { method: "POST", redirect: "manual" });
        }
        // The same page view, polling the id it remembered, thanks the donor.
        const thanks = statusOf(page).filter({
          hasText: /Thank you — you earned \d+ SIR tokens\./,
        });
        await thanks.waitFor({ timeout: 15_000 });
        const tokens = sandbox.state.donations.get(donationId)?.tokensDistributed;
        expect(await thanks.textContent()).toBe(`Thank you — you earned ${tokens} SIR tokens.`);
        expect(await page.evaluate(() => sessionStorage.getItem("sir-donate:pending"))).toBeNull();
        await page.close();
      } finally {
        await postJson(`${sandbox.url}/__sandbox/behaviour`, { donationReturnUrl: "honoured" });
      }
    },
  );

  it("counts a HUF donation in ISO 4217's minor units (2 decimals, where Intl says 0)", async () => {
    await render({ currency: "HUF" });
    const page = await openPage();
    await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
    const shown = (text: string | null) => text?.replace(/\u00a0/g, " ");
    expect(shown(await page.locator(".sir-donate__amount").first().textContent())).toBe(
      "HUF 10.00",
    );
    await page.getByLabel("Other amount (HUF)").fill("1234.5");
    await Promise.all([
      page.waitForURL(/\/__sandbox\/checkout\//),
      page.locator(".sir-donate__submit").click(),
    ]);
    const donationId = decodeURIComponent(page.url().split("/").pop() ?? "");
    expect(sandbox.state.donations.get(donationId)).toMatchObject({
      amountCents: 123450,
      currency: "HUF",
    });
    expect(shown(await page.locator(".amount").textContent())).toBe("HUF 1,234.50");
    await page.close();
  });

  it("explains invalid amounts and takes a valid custom one", { timeout: 30_000 }, async () => {
    await render();
    const page = await openPage();
    await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
    const custom = page.getByLabel("Other amount (USD)");
    await page.locator(".sir-donate__submit").click();
    expect(await statusOf(page).textContent()).toBe("Choose or enter an amount.");
    await custom.fill("19.999");
    await page.locator(".sir-donate__submit").click();
    expect(await statusOf(page).textContent()).toBe("Enter an amount such as 25 or 25.50.");
    expect(await custom.getAttribute("aria-invalid")).toBe("true");
    await custom.fill("250000");
    await custom.press("Enter");
    expect(await statusOf(page).textContent()).toBe("The largest donation is $100,000.00.");
    await custom.fill("19.99");
    await Promise.all([
      page.waitForURL(/\/__sandbox\/checkout\//),
      page.locator(".sir-donate__submit").click(),
    ]);
    const donationId = decodeURIComponent(page.url().split("/").pop() ?? "");
    expect(sandbox.state.donations.get(donationId)).toMatchObject({ amountCents: 1999 });
    await page.close();
  });

  it(
    "speaks the shopper's language, formats their currency and wears the merchant's accent",
    { timeout: 30_000 },
    async () => {
      const settings = { accent_color: "#1a4d8f", accent_text_color: "#ffffff" };
      await render({ locale: "fr", currency: "EUR", settings });
      const page = await openPage();
      await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
      expect(await page.locator(".sir-donate__amount").first().textContent()).toMatch(
        /^10,00\s€$/u,
      );
      expect(await page.locator("legend").first().textContent()).toBe("Choisissez un montant");
      const submit = page.locator(".sir-donate__submit");
      expect(await submit.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(
        "rgb(26, 77, 143)",
      );
      expect(await submit.evaluate((button) => getComputedStyle(button).color)).toBe(
        "rgb(255, 255, 255)",
      );
      await page.locator(".sir-donate__amount").nth(1).click();
      await screenshot(page, "7-french-accent");
      await expectNoAxeViolations(page);
      await page.close();
    },
  );

  it("opens the floating embed from the keyboard", { timeout: 30_000 }, async () => {
    await render({ embed: true });
    const page = await openPage();
    const summary = page.locator(".sir-donate-float summary");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SUMMARY");
    await page.keyboard.press("Enter");
    expect(await page.locator(".sir-donate-float details").getAttribute("open")).toBe("");
    await page.locator("[data-sir-name]", { hasText: nonprofitName }).waitFor();
    expect(await summary.isVisible()).toBe(true);
    await screenshot(page, "8-embed-open");
    await expectNoAxeViolations(page);
    await page.close();
  });
});
