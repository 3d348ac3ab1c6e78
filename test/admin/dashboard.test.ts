import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SetupServerApi } from "msw/node";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { FakeAdminApi, interceptAdminApi } from "./fake-admin-api";
import {
  adminRequest,
  callRoute,
  connectToSandbox,
  createSandboxPartner,
  seedRewards,
  uniqueShop,
} from "./helpers";
import { db } from "../../app/db.server";
import { action, loader } from "../../app/routes/app._index";

vi.mock("~/shopify.server", () => import("./fake-shopify.server"));

const UNREACHABLE = "http://127.0.0.1:9";
const HOUR = 60 * 60 * 1000;

let sandbox: Sandbox;
let msw: SetupServerApi;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  msw = interceptAdminApi(new FakeAdminApi(), [sandbox.url, UNREACHABLE]);
});
afterAll(async () => {
  msw?.close();
  await sandbox?.close();
  await db.$disconnect();
});

async function connectedShop(spec: Record<string, unknown> = {}) {
  const shop = uniqueShop();
  const partner = await createSandboxPartner(sandbox.url, spec);
  await connectToSandbox(db, shop, sandbox.url, partner);
  return { shop, partner };
}

describe("dashboard loader", () => {
  it("asks a shop without SIR to connect, and calls nothing", async () => {
    const data = await callRoute(loader, adminRequest(uniqueShop(), "/app"));
    expect(data.pool).toBeNull();
    expect(data.totals.orders).toBe(0);
    expect(data.chart).toHaveLength(30);
  });

  it("sums the ledger, charts tokens per day and reads the pool and campaign from SIR", async () => {
    const { shop } = await connectedShop({ poolBalance: 80_000, campaignMultiplier: 3 });
    const now = Date.now();
    const today = new Date(now);
    const fiveDaysAgo = new Date(now - 5 * 24 * HOUR);
    await seedRewards(db, shop, [
      {
        orderNumber: 1,
        status: "rewarded",
        createdAt: today,
        tokensDistributed: 40,
        rewardedAt: today,
      },
      {
        orderNumber: 2,
        status: "rewarded",
        createdAt: today,
        tokensDistributed: 60,
        rewardedAt: today,
      },
      {
        orderNumber: 3,
        status: "partially_reversed",
        createdAt: fiveDaysAgo,
        tokensDistributed: 100,
        tokensReversed: 30,
        debt: 10,
        rewardedAt: fiveDaysAgo,
      },
      { orderNumber: 4, status: "failed", createdAt: today, lastError: "SIR refused the request" },
      { orderNumber: 5, status: "parked", createdAt: today },
      { orderNumber: 6, status: "skipped", createdAt: today },
    ]);

    const data = await callRoute(loader, adminRequest(shop, "/app"));
    expect(data.totals).toEqual({
      orders: 6,
      ordersRewarded: 3,
      tokensDistributed: 200,
      tokensReversed: 30,
      debt: 10,
      failed: 1,
      parked: 1,
      pending: 0,
      skipped: 1,
    });
    const byDay = Object.fromEntries(data.chart.map((day) => [day.date, day.tokens]));
    expect(byDay[today.toISOString().slice(0, 10)]).toBe(100);
    expect(byDay[fiveDaysAgo.toISOString().slice(0, 10)]).toBe(100);
    expect(data.chart.reduce((sum, day) => sum + day.tokens, 0)).toBe(200);
    expect(data.pool).toMatchObject({
      error: null,
      low: false,
      emptySince: null,
      campaign: { name: "3X rewards", multiplier: "3" },
      pool: { availableBalance: 80_000, lowBalanceThreshold: 8_000 },
    });
  });

  it("flags a low pool, and an empty one with the time rewards started waiting", async () => {
    const { shop, partner } = await connectedShop({ poolBalance: 10_000 });
    await fetch(new URL(`/__sandbox/pools/${partner.poolId}/set-balance`, sandbox.url), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ availableBalance: 500 }),
    });
    const emptySince = new Date("2026-11-20T10:00:00Z");
    await db.providerConnection.update({
      where: { shopDomain: shop },
      data: { poolEmptySince: emptySince },
    });
    const data = await callRoute(loader, adminRequest(shop, "/app"));
    expect(data.pool).toMatchObject({
      low: true,
      emptySince: emptySince.toISOString(),
      pool: { availableBalance: 500 },
    });
  });

  it("still shows the page, with a sentence, when SIR cannot be reached", async () => {
    const shop = uniqueShop();
    const partner = await createSandboxPartner(sandbox.url);
    await connectToSandbox(db, shop, UNREACHABLE, partner);
    const data = await callRoute(loader, adminRequest(shop, "/app"));
    expect(data.pool).toMatchObject({
      pool: null,
      campaign: null,
      error: `SIR could not be reached at ${UNREACHABLE}. Check the API address, and that this server can reach it.`,
    });
  });
});

describe("request allocation", () => {
  it("sends the request to SIR and says what happens next", async () => {
    const { shop, partner } = await connectedShop();
    const result = await callRoute(
      action,
      adminRequest(shop, "/app", {
        intent: "request-allocation",
        amount: "25,000",
        reason: "Holiday season",
      }),
    );
    expect(result).toEqual({
      intent: "request-allocation",
      ok: true,
      message:
        "SIR received your request for 25,000 tokens. Rewards waiting for tokens resume by themselves once SIR approves it.",
    });
    const requests = [...sandbox.state.poolRequests.values()].filter(
      (request) => request.poolId === partner.poolId,
    );
    expect(requests).toMatchObject([
      { amount: 25_000, reason: "Holiday season", status: "PENDING" },
    ]);
  });

  it("asks for a whole number of tokens", async () => {
    const { shop } = await connectedShop();
    const result = await callRoute(
      action,
      adminRequest(shop, "/app", { intent: "request-allocation", amount: "12.5" }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: { amount: "Enter a whole number of tokens, such as 10000." },
    });
  });
});
