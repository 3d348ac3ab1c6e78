import { afterAll, describe, expect, it, vi } from "vitest";
import {
  adminRequest,
  callRoute,
  orderIdFor,
  seedRewards,
  uniqueShop,
  type SeedReward,
} from "../../../../test/admin/helpers";
import { db } from "../../../db.server";
import { findRewardByOrder } from "../../../models/Reward.server";
import { action, loader } from "../route";

vi.mock("~/shopify.server", () => import("../../../../test/admin/fake-shopify.server"));

afterAll(() => db.$disconnect());

const STATUSES = ["rewarded", "failed", "parked", "skipped", "partially_reversed"];
const START = Date.parse("2026-10-01T00:00:00Z");

/** Orders #1001… a minute apart, except that every fifth has the same time as the one before. */
function ledgerOf(count: number): SeedReward[] {
  return Array.from({ length: count }, (_, index) => ({
    orderNumber: 1001 + index,
    status: STATUSES[index % STATUSES.length],
    createdAt: new Date(START + (index - (index % 5 === 2 ? 1 : 0)) * 60_000),
    tokensDistributed: 25,
  }));
}

async function ledger(shop: string, query = "") {
  return callRoute(loader, adminRequest(shop, `/app/rewards${query}`));
}

const names = (page: { entries: Array<{ orderName: string }> }) =>
  page.entries.map((entry) => entry.orderName);

describe("ledger loader", () => {
  it("pages newest first with cursors, visiting every order exactly once in both directions", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(120));

    const seen: string[] = [];
    const pages = [];
    let query = "";
    for (;;) {
      const { page } = await ledger(shop, query);
      pages.push(page);
      seen.push(...names(page));
      if (!page.nextCursor) break;
      query = `?after=${page.nextCursor}`;
    }
    expect(pages.map((page) => page.entries.length)).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe("#1120");
    expect(seen[119]).toBe("#1001");
    expect(pages[0].previousCursor).toBeNull();
    expect(pages[2].nextCursor).toBeNull();

    // Back from the last page: the same pages, in the same order.
    const back = await ledger(shop, `?before=${pages[2].previousCursor}`);
    expect(names(back.page)).toEqual(names(pages[1]));
    const first = await ledger(shop, `?before=${back.page.previousCursor}`);
    expect(names(first.page)).toEqual(names(pages[0]));
    expect(first.page.previousCursor).toBeNull();
  });

  it("filters by status and counts what failed", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(20));
    const { page, failedCount, filtered } = await ledger(shop, "?status=failed");
    expect(filtered).toBe(true);
    expect(failedCount).toBe(4);
    expect(names(page)).toEqual(["#1017", "#1012", "#1007", "#1002"]);
    expect(page.entries.every((entry) => entry.status === "failed")).toBe(true);
  });

  it("finds an order by its name, with or without the #", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(20));
    expect(names((await ledger(shop, "?q=1007")).page)).toEqual(["#1007"]);
    expect(names((await ledger(shop, "?q=%231007")).page)).toEqual(["#1007"]);
    expect(names((await ledger(shop, "?q=1007&status=rewarded")).page)).toEqual([]);
  });

  it("treats a cursor it did not make as the first page", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(3));
    const { page } = await ledger(shop, "?after=not-a-cursor");
    expect(names(page)).toEqual(["#1003", "#1002", "#1001"]);
  });

  it("never lists another shop's rewards", async () => {
    const shop = uniqueShop();
    await seedRewards(db, uniqueShop(), ledgerOf(3));
    const data = await ledger(shop);
    expect(data.page.entries).toEqual([]);
    expect(data.connected).toBe(false);
  });
});

describe("retry", () => {
  it("sends one failed order back to the queue", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(10));
    const result = await callRoute(
      action,
      adminRequest(shop, "/app/rewards", { intent: "retry", orderId: [orderIdFor(1002)] }),
    );
    expect(result.message).toBe(
      "1 failed entry was sent back to the queue. Its status updates here within a few seconds.",
    );
    expect(await findRewardByOrder(shop, orderIdFor(1002))).toMatchObject({
      status: "pending",
      workPending: true,
      attempts: 0,
    });
    expect((await findRewardByOrder(shop, orderIdFor(1007)))?.status).toBe("failed");
  });

  it("retries every failed order at once, and says when there was nothing to retry", async () => {
    const shop = uniqueShop();
    await seedRewards(db, shop, ledgerOf(10));
    const all = await callRoute(
      action,
      adminRequest(shop, "/app/rewards", { intent: "retry", all: "true" }),
    );
    expect(all.message).toMatch(/^2 failed entries were sent back to the queue\./);
    const none = await callRoute(
      action,
      adminRequest(shop, "/app/rewards", { intent: "retry", orderId: [orderIdFor(1001)] }),
    );
    expect(none.message).toBe("Nothing to retry: none of the selected rewards has failed.");
  });
});
