import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase } from "../../db.server";
import { saveEarningRules } from "../../models/RewardSettings.server";
import { DEFAULT_EARNING_RULES } from "../calculation/settings";
import { shopifyFixture } from "../../../test/fixtures/shopify";
import { recordPaidOrder } from "./record-paid-order.server";
import { recordRefund } from "./record-refund.server";
import { DeferEvent, type InboxEvent } from "./inbox-event";
import type { ProductTagSource } from "./product-tags.server";

const db = createDatabase(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

// #1001: tees (product 8375614921927915692) earn 30.00, the bag
// (product 5452153762370261437) earns 70.00.
const TEE_PRODUCT = "8375614921927915692";
const ORDER_ID = "8817694701178518903";

const event = (shopDomain: string, topic: string, payload: string): InboxEvent => ({
  id: randomUUID(),
  source: "shopify",
  shopDomain,
  topic,
  eventKey: randomUUID(),
  payload,
  triggeredAt: null,
  receivedAt: new Date(),
});

const tagsSource = (tags: Record<string, string[]>): ProductTagSource & { calls: number } => ({
  calls: 0,
  async tagsFor(_shop, productIds) {
    this.calls++;
    return new Map(productIds.map((id) => [id, tags[id] ?? []]));
  },
});

describe("recording a paid order", () => {
  it("leaves out lines whose product carries an excluded tag", async () => {
    const shop = `tags-${randomUUID().slice(0, 8)}.myshopify.com`;
    await saveEarningRules(
      shop,
      { ...DEFAULT_EARNING_RULES, excludedProductTags: ["no-rewards"] },
      db,
    );
    const source = tagsSource({ [TEE_PRODUCT]: ["No-Rewards", "summer"] });
    await recordPaidOrder(
      event(shop, "orders/paid", shopifyFixture("orders-paid-usd")),
      source,
      db,
    );
    const reward = await db.reward.findUniqueOrThrow({
      where: { shopDomain_orderId: { shopDomain: shop, orderId: ORDER_ID } },
    });
    expect(reward.amount).toBe("70.00");
    expect(source.calls).toBe(1);
  });

  it("does not ask Shopify for tags when the shop excludes none", async () => {
    const shop = `notags-${randomUUID().slice(0, 8)}.myshopify.com`;
    const source = tagsSource({});
    await recordPaidOrder(
      event(shop, "orders/paid", shopifyFixture("orders-paid-usd")),
      source,
      db,
    );
    expect(source.calls).toBe(0);
  });

  it("defers the order when the tags cannot be read, rather than ignoring the exclusion", async () => {
    const shop = `tagfail-${randomUUID().slice(0, 8)}.myshopify.com`;
    await saveEarningRules(shop, { ...DEFAULT_EARNING_RULES, excludedProductTags: ["x"] }, db);
    const failing: ProductTagSource = {
      tagsFor: async () => {
        throw new DeferEvent("Admin API unavailable");
      },
    };
    await expect(
      recordPaidOrder(event(shop, "orders/paid", shopifyFixture("orders-paid-usd")), failing, db),
    ).rejects.toBeInstanceOf(DeferEvent);
    expect(await db.reward.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("measures a refund with the rules the order earned under, not today's", async () => {
    const shop = `snapshot-${randomUUID().slice(0, 8)}.myshopify.com`;
    await recordPaidOrder(
      event(shop, "orders/paid", shopifyFixture("orders-paid-usd")),
      tagsSource({}),
      db,
    );
    // The merchant later starts rewarding shipping and tax; the old order's share must not move.
    await saveEarningRules(
      shop,
      { ...DEFAULT_EARNING_RULES, includeShipping: true, includeTax: true },
      db,
    );
    await recordRefund(
      event(shop, "refunds/create", shopifyFixture("refunds-create-partial-30")),
      db,
    );
    const reversal = await db.reversal.findFirstOrThrow({
      where: { reward: { shopDomain: shop } },
    });
    expect(reversal.refundedBasisMinor).toBe(3000n);
  });

  it("holds a refund whose order is not in the ledger yet", async () => {
    const shop = `early-${randomUUID().slice(0, 8)}.myshopify.com`;
    await expect(
      recordRefund(event(shop, "refunds/create", shopifyFixture("refunds-create-partial-30")), db),
    ).rejects.toBeInstanceOf(DeferEvent);
  });
});
