import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";

// The worker runs in its own thread; the webhook route rings it across threads. With a poll
// of a minute, only the ring can make the reward happen within seconds.
const POLL_MS = 60_000;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start({ appEnv: { WORKER_POLL_MS: String(POLL_MS) } });
});
afterAll(() => pipeline?.stop());

describe("the worker thread's doorbell", () => {
  it("wakes the idle worker when an order is recorded, long before its next poll", async () => {
    const { shop } = await pipeline.connectNewShop();
    // Let the worker finish what connecting set off and go idle on its long poll.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deliveredAt = Date.now();
    const response = await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    expect(response.status).toBe(200);
    const reward = await waitFor(
      async () => {
        const row = await pipeline.reward(shop, "8817694701178518903");
        return row?.status === "rewarded" ? row : null;
      },
      { what: "the reward, woken by the doorbell", timeoutMs: 10_000 },
    );
    expect(reward.actionId).toBeTruthy();
    expect(Date.now() - deliveredAt).toBeLessThan(POLL_MS / 6);
  });
});
