// First: it sets the environment the app modules read when they are imported.
import { PRODUCTION_WORKER_ENV, useFreshDatabase } from "./environment";
import { Pipeline } from "../test/helpers/pipeline";
import { startAppServer } from "../test/helpers/app-server";
import { paidOrder } from "../test/helpers/paid-orders";
import { orderIdempotencyKey } from "../app/models/Reward.server";
import { percentile } from "./stats";

export type CrossProcessWakeRun = {
  webhooks: number;
  /** From process A's 200 to the sandbox receiving process B's submit of that order. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
};

const POLL_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two app processes on one PostgreSQL database: A answers Shopify with no worker, B runs the
 * worker with a poll of a minute, so only the inbox insert's NOTIFY to B's LISTEN connection
 * wakes it. One paid order at a time, each once B is idle again: the latency from A's 200 to
 * the sandbox receiving B's submit for it (the sandbox runs in this process, one clock).
 */
export async function measureCrossProcessWake(webhooks: number): Promise<CrossProcessWakeRun> {
  const database = await useFreshDatabase("postgresql");
  const pipeline = await Pipeline.start({
    appEnv: { ...PRODUCTION_WORKER_ENV, WORKER_ENABLED: "false" },
  });
  const worker = await startAppServer({
    env: { ...PRODUCTION_WORKER_ENV, WORKER_POLL_MS: String(POLL_MS) },
  });
  try {
    const { shop } = await pipeline.connectNewShop();
    await sleep(1_000);
    const latencies: number[] = [];
    for (let index = 0; index < webhooks; index++) {
      const order = paidOrder(index);
      const key = orderIdempotencyKey(shop, order.orderId);
      const response = await pipeline.deliver("orders/paid", shop, order.body);
      await response.arrayBuffer();
      const answeredAt = Date.now();
      if (response.status !== 200) throw new Error(`delivery ${index}: ${response.status}`);
      const deadline = answeredAt + POLL_MS / 2;
      let submittedAt: number | undefined;
      while (submittedAt === undefined) {
        if (Date.now() > deadline) throw new Error(`order ${index} was not submitted by B`);
        submittedAt = pipeline.sandbox.state.requestLog.find((request) =>
          request.actions?.some((action) => action.idempotencyKey === key),
        )?.receivedAtMs;
        if (submittedAt === undefined) await sleep(2);
      }
      latencies.push(Math.max(0, submittedAt - answeredAt));
      // B finishes the order (and SIR's webhook back to A) and goes idle again.
      await sleep(50);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      webhooks,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1],
    };
  } finally {
    await worker.stop();
    await pipeline.stop();
    await database.drop();
  }
}

// `node --import tsx bench/cross-process-wake.ts [count]`: this measurement alone (after a
// build: BUILD_DIR must point at one).
if (import.meta.url === `file://${process.argv[1]}`) {
  const run = await measureCrossProcessWake(Number(process.argv[2] ?? 20));
  console.log(JSON.stringify(run));
}
