import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { testDatabaseKind } from "../helpers/test-database";

// Two processes on one PostgreSQL database: A answers Shopify and runs no worker, B runs the
// worker with a poll of a minute. Only A's inbox insert, notified to B's LISTEN connection, can
// make B reward the order within seconds.
const onPostgres = testDatabaseKind() === "postgresql";
const POLL_MS = 60_000;

const title = onPostgres
  ? "a webhook recorded by one process wakes the idle worker of another (PostgreSQL)"
  : "cross-process wake (skipped: needs TEST_DATABASE=postgresql; SQLite is one process)";

describe.skipIf(!onPostgres)(title, () => {
  let pipeline: Pipeline;
  let worker: AppServer;
  beforeAll(async () => {
    pipeline = await Pipeline.start({ appEnv: { WORKER_ENABLED: "false" } });
    worker = await startAppServer({ env: { WORKER_POLL_MS: String(POLL_MS) } });
  });
  afterAll(async () => {
    await worker?.stop();
    await pipeline?.stop();
  });

  it("rewards an order delivered to A, by B, long before B's next poll", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    // Let B finish what connecting set off and go idle on its long poll.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const latencies: number[] = [];
    for (let index = 0; index < 3; index++) {
      const deliveredAt = Date.now();
      const response = await pipeline.deliver(
        "orders/paid",
        shop,
        shopifyFixture("orders-paid-usd", { idOffset: 7000 + index }),
      );
      expect(response.status).toBe(200);
      const orderId = (8817694701178518903n + BigInt(7000 + index)).toString();
      await waitFor(async () => (await pipeline.reward(shop, orderId))?.status === "rewarded", {
        what: "the reward, by the other process",
        timeoutMs: 15_000,
        intervalMs: 10,
      });
      latencies.push(Date.now() - deliveredAt);
      // Idle again before the next one.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    console.log(`[cross-process wake] webhook to A → rewarded by B: ${latencies.join(", ")} ms`);
    expect((await pipeline.actions(partner.partnerId)).length).toBe(3);
    for (const latency of latencies) expect(latency).toBeLessThan(5_000);
  });
});
