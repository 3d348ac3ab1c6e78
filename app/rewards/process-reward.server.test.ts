import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase } from "../db.server";
import { claimedReward } from "../../test/helpers/rewards";
import { processRewards } from "./process-reward.server";
import {
  BULK_REPROBE_MS,
  describeSendingMode,
  saveConnection,
} from "../models/ProviderConnection.server";
import {
  ProviderError,
  type PurchaseBatch,
  type PurchaseOutcome,
  type PurchaseRequest,
  type RewardsProvider,
} from "./provider.server";

const db = createDatabase(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

const CLAIM = "worker:test";

const claimed = (shopDomain: string) => claimedReward(db, shopDomain, CLAIM);

/**
 * Records the calls it gets; a key in `refused` is refused permanently, on its own. With
 * `bulk.available` false it answers a batch request as a platform without a batch call would:
 * each purchase sent alone, and the batch reported unavailable.
 */
function recordingProvider(refused: Set<string> = new Set(), bulk = { available: true }) {
  const calls: Array<{ kind: "single" | "bulk" | "one_by_one" | "bulk_refused"; keys: string[] }> =
    [];
  const receiptFor = (request: PurchaseRequest) => ({
    actionId: `act_${request.idempotencyKey}`,
    tokensDistributed: 100,
    replayed: false,
  });
  const provider: RewardsProvider = {
    name: "recording",
    async submitPurchase(request) {
      calls.push({ kind: "single", keys: [request.idempotencyKey] });
      return receiptFor(request);
    },
    async submitPurchases(requests, { batch = true } = {}): Promise<PurchaseBatch> {
      const keys = requests.map((request) => request.idempotencyKey);
      const kind = !batch ? "one_by_one" : bulk.available ? "bulk" : "bulk_refused";
      calls.push({ kind, keys });
      const outcomes: PurchaseOutcome[] = requests.map((request) =>
        refused.has(request.idempotencyKey)
          ? new ProviderError("permanent", "SIR refused the request as invalid")
          : receiptFor(request),
      );
      const batching =
        kind === "bulk" ? "batched" : kind === "one_by_one" ? kind : "batching_unavailable";
      return { outcomes, batching };
    },
    async reversePurchase(request) {
      return {
        reversalId: `rev_${request.idempotencyKey}`,
        tokensClawedBack: 0,
        debt: 0,
        replayed: false,
      };
    },
    async hasPoolBalance() {
      return true;
    },
  };
  return { provider, calls };
}

const shopName = (label: string) => `${label}-${randomUUID().slice(0, 8)}.myshopify.com`;

describe("processing a batch of claimed rewards", () => {
  it("sends each shop's new purchases in one bulk call and records each outcome on its own", async () => {
    const shopA = shopName("bulk-a");
    const shopB = shopName("bulk-b");
    const rewardsA = [await claimed(shopA), await claimed(shopA)];
    const refusedA = await claimed(shopA);
    const rewardsB = [await claimed(shopB)];
    const { provider, calls } = recordingProvider(new Set([refusedA.idempotencyKey]));

    await processRewards([...rewardsA, refusedA, ...rewardsB], async () => provider, db);

    expect(calls.map((call) => call.kind)).toEqual(["bulk", "bulk"]);
    expect(calls.map((call) => call.keys.length).sort()).toEqual([1, 3]);
    for (const reward of [...rewardsA, ...rewardsB]) {
      const row = await db.reward.findUniqueOrThrow({ where: { id: reward.id } });
      expect(row).toMatchObject({
        status: "rewarded",
        actionId: `act_${reward.idempotencyKey}`,
        tokensDistributed: 100,
        workPending: false,
        lockedBy: null,
      });
      const entries = await db.rewardEvent.findMany({ where: { rewardId: reward.id } });
      expect(entries.map((entry) => entry.type)).toEqual(["recorded", "rewarded"]);
    }
    const refused = await db.reward.findUniqueOrThrow({ where: { id: refusedA.id } });
    expect(refused).toMatchObject({
      status: "failed",
      actionId: null,
      workPending: false,
      lastError: "SIR refused the request as invalid",
    });
  });

  it("sends a reward with a reversal waiting on its own, the submit before the reversal", async () => {
    const shop = shopName("single");
    const withRefund = await claimed(shop);
    const plain = await claimed(shop);
    await db.reversal.create({
      data: {
        rewardId: withRefund.id,
        kind: "refund",
        sourceId: "refund-1",
        idempotencyKey: `${withRefund.idempotencyKey}:refund:1`,
        refundedBasisMinor: 5_000n,
        status: "pending",
      },
    });
    const { provider, calls } = recordingProvider();

    await processRewards([withRefund, plain], async () => provider, db);

    expect(calls).toEqual(
      expect.arrayContaining([
        { kind: "bulk", keys: [plain.idempotencyKey] },
        { kind: "single", keys: [withRefund.idempotencyKey] },
      ]),
    );
    expect(calls).toHaveLength(2);
    const row = await db.reward.findUniqueOrThrow({ where: { id: withRefund.id } });
    expect(row).toMatchObject({ status: "partially_reversed", reversedPercent: "50.00" });
  });

  it("counts a failure of the whole bulk call for each of its rewards, which retry later", async () => {
    const shop = shopName("outage");
    const rewards = [await claimed(shop), await claimed(shop)];
    const { provider } = recordingProvider();
    provider.submitPurchases = async () => {
      throw new ProviderError("retryable", "SIR is unavailable for now (server); will retry.");
    };

    await processRewards(rewards, async () => provider, db);

    for (const reward of rewards) {
      const row = await db.reward.findUniqueOrThrow({ where: { id: reward.id } });
      expect(row).toMatchObject({ status: "pending", workPending: true, attempts: 1 });
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    }
  });

  it("goes one by one when the batch call is unavailable, remembers it, re-probes, and clears it", async () => {
    const shop = shopName("no-bulk");
    await saveConnection(
      {
        shopDomain: shop,
        environment: "sandbox",
        publicKey: "pk_test_x",
        secretKey: "sk_test_x",
        hmacSecret: "h",
      },
      db,
    );
    const connection = () =>
      db.providerConnection.findUniqueOrThrow({ where: { shopDomain: shop } });
    const savedAt = (await connection()).updatedAt;
    const bulk = { available: false };
    const { provider, calls } = recordingProvider(new Set(), bulk);

    // First batch: the batch call is refused as unavailable; nothing fails, the connection notes it.
    const first = [await claimed(shop), await claimed(shop)];
    await processRewards(first, async () => provider, db);
    for (const reward of first) {
      const row = await db.reward.findUniqueOrThrow({ where: { id: reward.id } });
      expect(row).toMatchObject({ status: "rewarded", workPending: false, attempts: 0 });
    }
    const marked = await connection();
    expect(describeSendingMode(marked)).toEqual({
      batching: "one_by_one",
      since: marked.bulkUnavailableSince,
    });
    expect(marked.bulkUnavailableSince).not.toBeNull();
    // Bookkeeping, not a settings change: the provider cache's version stays.
    expect(marked.updatedAt).toEqual(savedAt);

    // Next batch: one by one, without asking for a batch again.
    const second = [await claimed(shop)];
    await processRewards(second, async () => provider, db);
    expect(calls.map((call) => call.kind)).toEqual(["bulk_refused", "one_by_one"]);

    // Once the re-probe interval has passed, the batch call is tried again: still unavailable
    // keeps the first time and notes the check.
    const longAgo = new Date(Date.now() - BULK_REPROBE_MS - 1_000);
    await db.providerConnection.update({
      where: { shopDomain: shop },
      data: { bulkCheckedAt: longAgo },
    });
    await processRewards([await claimed(shop)], async () => provider, db);
    expect(calls.at(-1)?.kind).toBe("bulk_refused");
    const rechecked = await connection();
    expect(rechecked.bulkUnavailableSince).toEqual(marked.bulkUnavailableSince);
    expect(rechecked.bulkCheckedAt!.getTime()).toBeGreaterThan(longAgo.getTime());

    // The batch call works again at the next probe: the mark is cleared.
    bulk.available = true;
    await db.providerConnection.update({
      where: { shopDomain: shop },
      data: { bulkCheckedAt: longAgo },
    });
    await processRewards([await claimed(shop)], async () => provider, db);
    expect(calls.at(-1)?.kind).toBe("bulk");
    expect(describeSendingMode(await connection())).toEqual({ batching: "bulk", since: null });
  });
});
