import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { shopifyFixture } from "../../test/fixtures/shopify";
import { createDatabase } from "../db.server";
import { saveConnection } from "../models/ProviderConnection.server";
import { providerForShop } from "../providers/provider-for-shop.server";
import { parseJsonLossless } from "../rewards/calculation/lossless-json";
import { runBackfill, latestBackfill } from "./backfill.server";
import type { OrderPageSource } from "./backfill/admin-order-pages.server";

const db = createDatabase(process.env.DATABASE_URL);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await db.$disconnect();
});

async function connectedShop() {
  const shop = `backfill-${randomUUID().slice(0, 8)}.myshopify.com`;
  const response = await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" });
  const partner = (await response.json()) as Record<string, string>;
  await saveConnection(
    {
      shopDomain: shop,
      environment: "sandbox",
      apiUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    },
    db,
  );
  return { shop, partner };
}

// 250 distinct paid orders (the #1001 fixture with shifted ids), served in
// pages of 100 as the Admin API would.
function fakeAdminPages(total: number): OrderPageSource & { pagesServed: number } {
  const orders = Array.from(
    { length: total },
    (_, i) =>
      parseJsonLossless(shopifyFixture("orders-paid-usd", { idOffset: i + 1 })) as Record<
        string,
        unknown
      >,
  );
  return {
    pagesServed: 0,
    async fetchPage(_shop, _since, cursor) {
      this.pagesServed++;
      const start = cursor ? Number(cursor) : 0;
      const next = start + 100;
      return {
        orders: orders.slice(start, next),
        nextCursor: next < orders.length ? String(next) : null,
      };
    },
  };
}

const bulkCalls = async () => {
  const { requests } = (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()) as {
    requests: Array<{ path: string }>;
  };
  return requests.filter((r) => r.path === "/v1/partner/actions/bulk").length;
};

describe("backfill", () => {
  it("rewards past orders through the bulk endpoint, 100 per call, and never twice", async () => {
    const { shop, partner } = await connectedShop();
    const pages = fakeAdminPages(250);
    const bulkBefore = await bulkCalls();
    const progress: number[] = [];
    const dependencies = {
      pages,
      providerFor: (s: string) => providerForShop(s, db),
      productTags: { tagsFor: async () => new Map() },
      onProgress: (run: { ordersSeen: number }) => progress.push(run.ordersSeen),
    };

    const first = await runBackfill(shop, new Date("2026-01-01"), dependencies, db);
    expect(first).toMatchObject({
      status: "done",
      ordersSeen: 250,
      rewarded: 250,
      alreadyRecorded: 0,
    });
    expect(pages.pagesServed).toBe(3);
    expect(progress).toEqual([100, 200, 250]);
    expect((await bulkCalls()) - bulkBefore).toBe(3);

    const actions = await (
      await fetch(`${sandbox.url}/__sandbox/actions?partnerId=${partner.partnerId}`)
    ).json();
    expect(actions.actions).toHaveLength(250);

    // Re-running finds every order in the ledger and sends nothing.
    const second = await runBackfill(shop, new Date("2026-01-01"), dependencies, db);
    expect(second).toMatchObject({
      status: "done",
      ordersSeen: 250,
      rewarded: 0,
      alreadyRecorded: 250,
    });
    expect((await bulkCalls()) - bulkBefore).toBe(3);
    expect(await db.reward.count({ where: { shopDomain: shop, status: "rewarded" } })).toBe(250);
    expect((await latestBackfill(shop, db))?.status).toBe("done");
  });

  it("counts each order of a page on its own: new, already in the ledger, unreadable", async () => {
    const { shop } = await connectedShop();
    const order = (offset: number) =>
      parseJsonLossless(shopifyFixture("orders-paid-usd", { idOffset: offset })) as Record<
        string,
        unknown
      >;
    const onePage = (orders: Record<string, unknown>[]): OrderPageSource => ({
      fetchPage: async () => ({ orders, nextCursor: null }),
    });
    const dependencies = (orders: Record<string, unknown>[]) => ({
      pages: onePage(orders),
      providerFor: (s: string) => providerForShop(s, db),
      productTags: { tagsFor: async () => new Map() },
    });
    await runBackfill(shop, new Date("2026-01-01"), dependencies([order(901)]), db);

    const unreadable = { id: 902, note: "no line items, no totals" };
    const run = await runBackfill(
      shop,
      new Date("2026-01-01"),
      dependencies([order(901), order(903), unreadable]),
      db,
    );

    expect(run).toMatchObject({ ordersSeen: 3, rewarded: 1, alreadyRecorded: 1, failed: 1 });
    const rewards = await db.reward.findMany({
      where: { shopDomain: shop },
      include: { events: { orderBy: { createdAt: "asc" } } },
    });
    expect(rewards).toHaveLength(2);
    for (const reward of rewards) {
      expect(reward).toMatchObject({ status: "rewarded", workPending: false });
      expect(reward.actionId).toBeTruthy();
      expect(reward.events.map((event) => event.type)).toEqual(["received", "rewarded"]);
    }
  });
});
