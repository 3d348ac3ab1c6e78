import { describe, expect, it } from "vitest";
import {
  ProviderError,
  type PurchaseRequest,
  type ReversalRequest,
  type RewardsProvider,
} from "../rewards/provider.server";
import { instrumentProvider } from "./provider-metrics.server";
import { threadRegistry } from "./registry.server";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

const receipt = (replayed = false) => ({ actionId: "a", tokensDistributed: 1, replayed });

async function count(name: string, labels: Record<string, string>) {
  const scrape = parsePrometheusText(await threadRegistry.metrics());
  return sampleValue(scrape, name, { thread: "main", ...labels }) ?? 0;
}

describe("instrumentProvider", () => {
  it("counts each call at the seam by endpoint and outcome, and times it", async () => {
    let submits = 0;
    const provider = {
      name: "fake",
      extra: () => "passed through",
      submitPurchase: async () => {
        submits += 1;
        if (submits === 2) return receipt(true);
        if (submits === 3) throw new ProviderError("retryable", "down", 1000);
        if (submits === 4) throw new ProviderError("pool_empty", "empty");
        if (submits === 5) throw new Error("not a provider error");
        return receipt();
      },
      submitPurchases: async (requests: PurchaseRequest[]) => ({
        batching: "batched",
        outcomes: requests.map((_, index) =>
          index === 0 ? new ProviderError("permanent", "refused") : receipt(index === 1),
        ),
      }),
      reversePurchase: async () => ({
        reversalId: "r",
        tokensClawedBack: 1,
        debt: 0,
        replayed: false,
      }),
      hasPoolBalance: async () => false,
    } as unknown as RewardsProvider & { extra(): string };
    const wrapped = instrumentProvider(provider);
    expect(instrumentProvider(wrapped)).toBe(wrapped);
    expect(wrapped.name).toBe("fake");
    expect(wrapped.extra()).toBe("passed through");

    const request = {} as PurchaseRequest;
    await wrapped.submitPurchase(request);
    await wrapped.submitPurchase(request);
    await expect(wrapped.submitPurchase(request)).rejects.toThrow("down");
    await expect(wrapped.submitPurchase(request)).rejects.toThrow("empty");
    await expect(wrapped.submitPurchase(request)).rejects.toThrow("not a provider error");
    await wrapped.submitPurchases([request, request, request]);
    await wrapped.reversePurchase({} as ReversalRequest);
    expect(await wrapped.hasPoolBalance()).toBe(false);

    const calls = (endpoint: string, outcome: string) =>
      count("sir_rewards_provider_calls_total", { endpoint, outcome });
    expect(await calls("submit", "ok")).toBe(1);
    expect(await calls("submit", "replay")).toBe(1);
    expect(await calls("submit", "retryable")).toBe(2);
    expect(await calls("submit", "pool_empty")).toBe(1);
    expect(await calls("bulk", "ok")).toBe(1);
    expect(await calls("reverse", "ok")).toBe(1);
    expect(await calls("pool_check", "pool_empty")).toBe(1);
    const items = (outcome: string) => count("sir_rewards_provider_bulk_items_total", { outcome });
    expect([await items("permanent"), await items("replay"), await items("ok")]).toEqual([1, 1, 1]);
    expect(await count("sir_rewards_provider_bulk_batching_total", { batching: "batched" })).toBe(
      1,
    );
    expect(
      await count("sir_rewards_provider_call_duration_seconds_count", { endpoint: "submit" }),
    ).toBe(5);
  });

  it("counts a bulk call whose every purchase failed as that failure", async () => {
    const down = new ProviderError("retryable", "down");
    const provider = {
      name: "fake",
      submitPurchases: async (requests: PurchaseRequest[]) => requests.map(() => down),
    } as unknown as RewardsProvider;
    const before = await count("sir_rewards_provider_calls_total", {
      endpoint: "bulk",
      outcome: "retryable",
    });
    await instrumentProvider(provider).submitPurchases([{} as PurchaseRequest]);
    expect(
      await count("sir_rewards_provider_calls_total", { endpoint: "bulk", outcome: "retryable" }),
    ).toBe(before + 1);
  });
});
