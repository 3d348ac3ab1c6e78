/**
 * The embedded admin in real Chromium, against the SIR sandbox: settings
 * (test connection, save), the dashboard, the ledger (filter, retry), a
 * reward's timeline, and a backfill's live progress. Screenshots of each page
 * go to test-results/admin/. Every HTML and JSON answer the browser receives
 * is kept, and none may contain a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SetupServerApi } from "msw/node";
import type { Browser, Page, Response } from "playwright-core";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { db } from "../../app/db.server";
import { decryptCredentials, findConnection } from "../../app/models/ProviderConnection.server";
import { addRewardEvent, findRewardByOrder } from "../../app/models/Reward.server";
import { connectShop } from "../../app/services/connect-shop.server";
import type { SandboxPartner } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { startAdminTestServer, type AdminTestServer } from "./admin-test-server";
import { FakeAdminApi, interceptAdminApi } from "./fake-admin-api";
import { paidOrdersUntilNow } from "./orders";
import {
  connectToSandbox,
  createSandboxPartner,
  orderIdFor,
  seedRewards,
  uniqueShop,
} from "./helpers";
import {
  adminSession,
  chromiumMissing,
  CHROMIUM,
  launchChromium,
  openAdminPage,
  screenshot,
} from "./browser";

// Pages wait on SIR and the worker; SIR is slowed down on purpose in the backfill.
const PAGE_TEST_TIMEOUT_MS = 120_000;

const describeInChromium = chromiumMissing
  ? describe.skip.bind(describe, `(skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`)
  : describe;

let sandbox: Sandbox;
let server: AdminTestServer;
let msw: SetupServerApi;
let browser: Browser;
const adminApi = new FakeAdminApi();
const partners: SandboxPartner[] = [];
/** Every text answer of the app server to the browser, to search for secrets. */
const received: Array<{ url: string; body: Promise<string> }> = [];

function recordAnswers(page: Page) {
  page.on("response", (response: Response) => {
    if (!response.url().startsWith(server.url)) return;
    const type = response.headers()["content-type"] ?? "";
    if (/html|json|javascript|text/.test(type)) {
      received.push({ url: response.url(), body: response.text().catch(() => "") });
    }
  });
}

async function signedIn(shop: string) {
  const session = await adminSession(browser, server.url, shop);
  recordAnswers(session.page);
  return session;
}

async function newPartner(spec: Record<string, unknown> = {}) {
  const partner = await createSandboxPartner(sandbox.url, spec);
  partners.push(partner);
  return partner;
}

beforeAll(async () => {
  if (chromiumMissing) return;
  sandbox = await startSandbox({ port: 0, webhookRetryDelaysMs: [100, 300, 1000] });
  server = await startAdminTestServer();
  msw = interceptAdminApi(adminApi, [sandbox.url, server.url]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  msw?.close();
  await server?.stop();
  await sandbox?.close();
  await db.$disconnect();
});

describeInChromium("embedded admin in Chromium", () => {
  it(
    "settings: tests the connection against the sandbox, saves it, and shows only the last four characters of secrets",
    async () => {
      const shop = uniqueShop();
      const partner = await newPartner({ name: "Green Threads Co.", campaignMultiplier: 2 });
      const { page, context } = await signedIn(shop);
      // A new merchant is told the one next step on every page.
      await openAdminPage(page, server.url, "/app");
      await page.getByText("Connect your SIR Giving account").waitFor();
      await screenshot(page, "dashboard-new-shop");
      await page.getByRole("link", { name: "Connect SIR" }).click();
      await page.waitForURL(/\/app\/settings$/);
      await page.getByLabel("Environment").waitFor();

      await page.getByLabel("Environment").selectOption("sandbox");
      await page.getByLabel("Publishable key").fill(partner.publicKey);
      await page.getByLabel("Secret key").fill(partner.secretKey);
      await page.getByLabel("HMAC secret").fill("f".repeat(64));
      await page.getByLabel("Default nonprofit").fill("american-red-cross");
      await page.getByText("Use a different API address").click();
      await page.getByLabel("SIR API address").fill(sandbox.url);

      await page.getByRole("button", { name: "Test connection" }).click();
      await expect
        .poll(() => page.getByText("SIR rejected the request signature.").count())
        .toBe(1);
      await screenshot(page, "settings-test-connection-failed");

      await page.getByLabel("HMAC secret").fill(partner.hmacSecret);
      await page.getByRole("button", { name: "Test connection" }).click();
      await page.getByText("Connected to Green Threads Co.").waitFor();
      await page.getByText("Active campaign: 2X rewards (2× tokens).").waitFor();
      await page.getByText("Token pool balance: 1,000,000 tokens.").waitFor();
      await screenshot(page, "settings-test-connection");

      await page.getByRole("button", { name: "Save connection" }).click();
      await page.getByText("Connection saved").waitFor();
      expect(await page.getByLabel("Secret key").inputValue()).toBe("");
      await screenshot(page, "settings-saved");

      await page.reload();
      await page.waitForLoadState("networkidle");
      await page
        .getByText(
          `Saved secret key ends in …${partner.secretKey.slice(-4)}. Leave blank to keep it.`,
        )
        .waitFor();
      expect(await page.getByLabel("Publishable key").inputValue()).toBe(partner.publicKey);
      expect(await page.getByLabel("HMAC secret").inputValue()).toBe("");

      expect(decryptCredentials((await findConnection(shop))!).secretKey).toBe(partner.secretKey);
      expect(adminApi.metafields(shop)["sir_rewards.publishable_key"]?.value).toBe(
        partner.publicKey,
      );
      await context.close();
    },
    PAGE_TEST_TIMEOUT_MS,
  );

  it(
    "dashboard: ledger totals, tokens per day, pool balance and campaign",
    async () => {
      const shop = uniqueShop();
      await connectToSandbox(db, shop, sandbox.url, await newPartner({ campaignMultiplier: 2 }));
      const day = 86_400_000;
      await seedRewards(
        db,
        shop,
        Array.from({ length: 40 }, (_, index) => {
          const at = new Date(Date.now() - (index % 20) * day);
          return {
            orderNumber: 3000 + index,
            status: index % 13 === 0 ? "failed" : "rewarded",
            createdAt: at,
            rewardedAt: index % 13 === 0 ? null : at,
            tokensDistributed: index % 13 === 0 ? null : 20 + ((index * 37) % 90),
          };
        }),
      );
      const { page, context } = await signedIn(shop);
      // The bars are drawn at once, so the screenshot shows them at full height.
      await page.emulateMedia({ reducedMotion: "reduce" });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      page.on("console", (message) => {
        // The App Bridge stand-in hides <ui-nav-menu> before React hydrates it.
        if (message.type() === "error" && !message.text().includes("at ui-nav-menu")) {
          pageErrors.push(message.text());
        }
      });

      // The chart is drawn in the browser only; the server's HTML already has
      // its summary and the numbers as a table.
      const html = await (await page.request.get(new URL("/app", server.url).toString())).text();
      expect(html).toMatch(
        /<figure aria-label="Tokens distributed per day, last 30 days: [\d,]+ tokens from /,
      );
      expect(html).toContain("<caption>Tokens distributed per day, last 30 days</caption>");
      expect(html).toContain("Days in UTC.");

      await openAdminPage(page, server.url, "/app");
      await page.getByRole("heading", { name: "Orders rewarded" }).waitFor();
      await page.getByText("1,000,000 tokens").waitFor();
      await page.getByText("2X rewards").waitFor();
      const chart = page.getByRole("figure", { name: /Tokens distributed per day/ });
      await chart.waitFor();
      const table = page.getByRole("table", { name: /Tokens distributed per day/ });
      const tokensByDay = await table.locator("tbody td").allTextContents();
      const days = await table.locator("tbody th").allTextContents();
      expect(tokensByDay).toHaveLength(30);
      // polaris-viz's chart: one slot per day, a bar for each day with tokens,
      // and every day's date on the x axis ("Nov 21, 2026" as "Nov 21").
      await expect.poll(() => chart.locator("svg rect[role=listitem]").count()).toBe(30);
      expect(await chart.locator('svg path[data-type="Bar"]').count()).toBe(
        tokensByDay.filter((tokens) => tokens !== "0").length,
      );
      const axisLabels = await chart.locator("svg text").allTextContents();
      for (const day of days) expect(axisLabels).toContain(day.replace(/, \d{4}$/, ""));
      const bars = await chart.locator("svg").first().boundingBox();
      expect(bars?.width).toBeGreaterThan(400);
      expect(bars?.height).toBeGreaterThan(200);
      await screenshot(page, "dashboard");
      expect(pageErrors).toEqual([]);
      await context.close();
    },
    PAGE_TEST_TIMEOUT_MS,
  );

  it(
    "rewards: filters the ledger by status, retries a failed order, and opens its timeline",
    async () => {
      const shop = uniqueShop();
      const partner = await newPartner();
      // Connected as Settings would: SIR's webhooks come back to the app server.
      await connectShop({
        shopDomain: shop,
        environment: "sandbox",
        apiUrl: sandbox.url,
        publicKey: partner.publicKey,
        secretKey: partner.secretKey,
        hmacSecret: partner.hmacSecret,
        appUrl: server.url,
      });
      const failing = new Set([4004, 4009]);
      await seedRewards(
        db,
        shop,
        Array.from({ length: 12 }, (_, index) => ({
          orderNumber: 4001 + index,
          status: failing.has(4001 + index) ? "failed" : "rewarded",
          createdAt: new Date(Date.now() - (12 - index) * 60_000),
          tokensDistributed: failing.has(4001 + index) ? null : 25,
          lastError: failing.has(4001 + index)
            ? "SIR is unavailable for now (server); will retry."
            : null,
        })),
      );
      const failed = (await findRewardByOrder(shop, orderIdFor(4009)))!;
      await addRewardEvent(failed.id, "received", "Paid order received: 25.00 USD earns a reward.");
      await addRewardEvent(failed.id, "failed", "SIR is unavailable for now (server); will retry.");

      const { page, context } = await signedIn(shop);
      await openAdminPage(page, server.url, "/app/rewards");
      await page.getByRole("link", { name: "#4012" }).waitFor();
      await screenshot(page, "rewards");

      await page.getByRole("tab", { name: "Failed" }).click();
      await page.waitForURL(/status=failed/);
      await expect.poll(() => page.getByRole("link", { name: /^#40\d\d$/ }).count()).toBe(2);
      await screenshot(page, "rewards-failed");

      await page.getByRole("row", { name: /#4009/ }).getByRole("checkbox").check();
      await page.getByRole("button", { name: "Retry", exact: true }).click();
      await page.getByText("1 failed entry was sent back to the queue.").waitFor();

      // The worker in the app server sends it to SIR; the ledger shows the result.
      await waitFor(
        async () => (await findRewardByOrder(shop, orderIdFor(4009)))?.status === "rewarded",
        {
          what: "the retried reward",
        },
      );
      await openAdminPage(page, server.url, "/app/rewards?q=4009");
      await page.getByRole("row", { name: /#4009/ }).getByText("Rewarded").waitFor();

      await page.getByRole("link", { name: "#4009" }).click();
      await page.waitForURL(new RegExp(`/app/rewards/${orderIdFor(4009)}$`));
      await page.getByText("Submitted to SIR").waitFor();
      // SIR's action.completed webhook, received and applied by the app server.
      await page.getByText("Completed", { exact: true }).waitFor({ timeout: 15_000 });
      expect(
        await page.getByRole("link", { name: "View order in Shopify" }).getAttribute("href"),
      ).toBe(`shopify://admin/orders/${orderIdFor(4009)}`);
      await screenshot(page, "reward-timeline");
      await context.close();
    },
    PAGE_TEST_TIMEOUT_MS,
  );

  it(
    "backfill: shows live progress, can be left and resumed, and a re-run rewards nothing twice",
    async () => {
      const shop = uniqueShop();
      const partner = await newPartner();
      await connectToSandbox(db, shop, sandbox.url, partner);
      adminApi.setOrders(shop, paidOrdersUntilNow(400));
      // Slow SIR down so each page of 100 orders takes longer than the page's
      // 1.5 s refresh: every step is then on screen for at least one refresh.
      await fetch(new URL("/__sandbox/faults", sandbox.url), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ latencyMs: 2000 }),
      });

      const { page, context } = await signedIn(shop);
      await openAdminPage(page, server.url, "/app/backfill");
      await screenshot(page, "backfill-start");
      const since = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel("Reward paid orders placed on or after").fill(since);
      await page.getByRole("button", { name: "Start backfill" }).click();
      await page.getByText("In progress", { exact: true }).waitFor();
      // Live progress, caught on its way (which page the refresh lands on is timing).
      await page.getByText(/^(100|200) of 400 paid orders checked$/).waitFor({ timeout: 30_000 });
      await screenshot(page, "backfill-progress");

      await page.getByRole("button", { name: "Pause" }).click();
      await page.getByText("Paused", { exact: true }).waitFor();
      // A page already being sent to SIR finishes; then the run holds still.
      const { ordersSeen: pausedAt } = await waitFor(
        () => db.backfillRun.findFirst({ where: { shopDomain: shop, lockedBy: null } }),
        { what: "the paused run to settle", timeoutMs: 30_000 },
      );
      expect(pausedAt).toBeLessThan(400);

      // Leave for another page and come back: the run waits where it stopped.
      await openAdminPage(page, server.url, "/app");
      await openAdminPage(page, server.url, "/app/backfill");
      await page.getByText("Paused", { exact: true }).waitFor();
      expect((await db.backfillRun.findFirst({ where: { shopDomain: shop } }))!.ordersSeen).toBe(
        pausedAt,
      );

      await page.getByRole("button", { name: "Resume" }).click();
      await page.getByText("Finished", { exact: true }).waitFor({ timeout: 60_000 });
      await page.getByText("400 of 400 paid orders checked").waitFor();
      await screenshot(page, "backfill-done");

      await fetch(new URL("/__sandbox/faults", sandbox.url), { method: "DELETE" });
      const firstRun = await db.backfillRun.findFirst({ where: { shopDomain: shop } });
      await page.getByRole("button", { name: "Start backfill" }).click();
      const rerun = await waitFor(
        () =>
          db.backfillRun.findFirst({
            where: { shopDomain: shop, id: { not: firstRun!.id }, status: "done" },
          }),
        { what: "the second backfill", timeoutMs: 60_000 },
      );
      expect(rerun).toMatchObject({ ordersSeen: 400, alreadyRecorded: 400, rewarded: 0 });
      await openAdminPage(page, server.url, "/app/backfill");
      await page.getByText("400 of 400 paid orders checked").waitFor();
      await screenshot(page, "backfill-rerun");
      const actions = [...sandbox.state.actions.values()].filter(
        (action) => action.partnerId === partner.partnerId,
      );
      expect(actions).toHaveLength(400);
      await context.close();
    },
    PAGE_TEST_TIMEOUT_MS,
  );

  it("sent the browser no secret in any HTML or JSON", async () => {
    const connections = await db.providerConnection.findMany({
      where: { publicKey: { in: partners.map((partner) => partner.publicKey) } },
    });
    const secrets = [
      ...partners.flatMap((partner) => [partner.secretKey, partner.hmacSecret]),
      ...connections.flatMap((row) => decryptCredentials(row).webhookSecret ?? []),
    ];
    expect(received.length).toBeGreaterThan(20);
    for (const answer of received) {
      const body = await answer.body;
      for (const secret of secrets) {
        if (body.includes(secret)) throw new Error(`${answer.url} contains a secret`);
      }
      expect(body).not.toMatch(/\bsk_(test|live)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+/);
    }
  });
});
