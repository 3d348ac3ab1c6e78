import { afterAll, describe, expect, it, vi } from "vitest";
import {
  adminRequest,
  callRoute,
  orderIdFor,
  seedRewards,
  uniqueShop,
} from "../../../../test/admin/helpers";
import { db } from "../../../db.server";
import { addRewardEvent, findRewardByOrder } from "../../../models/Reward.server";
import { action, loader } from "../route";

vi.mock("~/shopify.server", () => import("../../../../test/admin/fake-shopify.server"));

afterAll(() => db.$disconnect());

const ORDER = 2001;

/** A rewarded order with a partial refund applied and a cancellation whose reversal failed. */
async function orderWithHistory(shop: string) {
  await seedRewards(db, shop, [
    {
      orderNumber: ORDER,
      status: "partially_reversed",
      createdAt: new Date("2026-11-01T10:00:00Z"),
      tokensDistributed: 100,
      tokensReversed: 30,
      debt: 5,
      lastError: "SIR refused the request (HTTP 403)",
    },
  ]);
  const reward = (await findRewardByOrder(shop, orderIdFor(ORDER)))!;
  const history: Array<[string, string]> = [
    ["received", "Paid order received: 25.00 USD earns a reward."],
    ["rewarded", "Sent to SIR as action act_1: 100 tokens."],
    ["confirmed", "SIR confirmed the action completed."],
    ["refund", "Refund received: 7.50 USD of the rewarded amount."],
    ["reversed", "Reversed 30.00 % on SIR: 30 tokens clawed back, 5 tokens became customer debt."],
    ["cancel", "Order cancelled: the rest of the reward will be reversed."],
    ["failed", "SIR refused the request (HTTP 403)"],
  ];
  for (const [type, message] of history) await addRewardEvent(reward.id, type, message, db);
  await db.reversal.createMany({
    data: [
      {
        rewardId: reward.id,
        kind: "refund",
        sourceId: "r1",
        idempotencyKey: "k1",
        refundedBasisMinor: 750n,
        percent: "30.00",
        status: "applied",
        tokensClawedBack: 30,
        debt: 5,
        createdAt: new Date("2026-11-02T10:00:00Z"),
      },
      {
        rewardId: reward.id,
        kind: "cancel",
        sourceId: "c1",
        idempotencyKey: "k2",
        refundedBasisMinor: 2500n,
        status: "failed",
        lastError: "SIR refused the request (HTTP 403)",
        createdAt: new Date("2026-11-03T10:00:00Z"),
      },
    ],
  });
  return reward;
}

describe("reward timeline", () => {
  it("lists what happened, oldest first, with each reversal's tokens and debt", async () => {
    const shop = uniqueShop();
    await orderWithHistory(shop);
    const { timeline } = await callRoute(
      loader,
      adminRequest(shop, `/app/rewards/${orderIdFor(ORDER)}`),
      { orderId: orderIdFor(ORDER) },
    );
    expect(timeline).toMatchObject({
      orderName: `#${ORDER}`,
      status: "partially_reversed",
      tokensDistributed: 100,
      tokensReversed: 30,
      debt: 5,
      retryable: true,
    });
    expect(timeline!.events.map((event) => event.type)).toEqual([
      "received",
      "rewarded",
      "confirmed",
      "refund",
      "reversed",
      "cancel",
      "failed",
    ]);
    expect(timeline!.reversals).toMatchObject([
      { kind: "refund", status: "applied", percent: "30.00", tokensClawedBack: 30, debt: 5 },
      { kind: "cancel", status: "failed", error: "SIR refused the request (HTTP 403)" },
    ]);
  });

  it("knows no order of another shop", async () => {
    const owner = uniqueShop();
    await orderWithHistory(owner);
    const data = await callRoute(
      loader,
      adminRequest(uniqueShop(), `/app/rewards/${orderIdFor(ORDER)}`),
      { orderId: orderIdFor(ORDER) },
    );
    expect(data).toEqual({ orderId: orderIdFor(ORDER), timeline: null });
  });

  it("retries the failed reversal of this order", async () => {
    const shop = uniqueShop();
    const reward = await orderWithHistory(shop);
    const result = await callRoute(
      action,
      adminRequest(shop, `/app/rewards/${orderIdFor(ORDER)}`, { intent: "retry" }),
      { orderId: orderIdFor(ORDER) },
    );
    expect(result.message).toMatch(/^1 failed entry was sent back to the queue\./);
    const reversals = await db.reversal.findMany({ where: { rewardId: reward.id } });
    expect(reversals.map((reversal) => reversal.status).sort()).toEqual(["applied", "pending"]);
    expect((await findRewardByOrder(shop, orderIdFor(ORDER)))?.workPending).toBe(true);
  });
});
