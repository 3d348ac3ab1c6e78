import { randomUUID } from "node:crypto";
import type { TestDatabaseKind } from "../test/helpers/test-database";
import { Pipeline } from "../test/helpers/pipeline";
import { startAppServer, type AppServer } from "../test/helpers/app-server";
import { tallyOrders, type SirTally } from "../test/helpers/sir-tally";
import type { PaidOrder } from "../test/helpers/paid-orders";
import { PRODUCTION_WORKER_ENV, useFreshDatabase } from "./environment";
import { cpuSnapshot, cpuUsageAvailable, cpuUsageBetween, type CpuUsage } from "./cpu-usage";

export type DrainRun = {
  database: TestDatabaseKind;
  workers: number;
  orders: number;
  /** Orders rewarded when the run ended: all of them, unless the time limit cut it short. */
  rewarded: number;
  seconds: number;
  ordersPerSecond: number;
  /** What SIR recorded; in a run cut short, `lost` includes the orders not reached yet. */
  tally: SirTally;
  /** Where the CPU went from the release to the end (null where /proc cannot be read). */
  cpu: CpuUsage | null;
};

// Events wait with this nextAttemptAt until every worker process is up, then are released at once.
const HELD_UNTIL = new Date("2100-01-01T00:00:00Z");
const INSERT_CHUNK = 500;

/**
 * Records the paid orders in the inbox as the webhook route does (same columns, the raw body
 * as received), but through Prisma's createMany rather than 10,000 HTTP deliveries, so the
 * figure is the worker's alone and the setup stays short.
 */
async function recordHeldOrders(pipeline: Pipeline, shop: string, orders: readonly PaidOrder[]) {
  for (let start = 0; start < orders.length; start += INSERT_CHUNK) {
    await pipeline.db.webhookEvent.createMany({
      data: orders.slice(start, start + INSERT_CHUNK).map((order) => ({
        source: "shopify",
        shopDomain: shop,
        topic: "orders/paid",
        eventKey: randomUUID(),
        apiVersion: "2026-10",
        triggeredAt: new Date(),
        payload: order.body,
        nextAttemptAt: HELD_UNTIL,
      })),
    });
  }
}

/**
 * A backlog of recorded paid orders processed against the sandbox at zero added latency by
 * `workers` app processes (each the production server with its worker thread) sharing one
 * database. Timed from the release of the backlog to the last reward's rewardedAt; a run that
 * reaches `timeLimitMs` first is measured on the orders rewarded by then.
 */
export async function measureBacklogDrain(
  kind: TestDatabaseKind,
  workers: number,
  orders: readonly PaidOrder[],
  timeLimitMs: number,
): Promise<DrainRun> {
  const database = await useFreshDatabase(kind);
  const pipeline = await Pipeline.start({ appEnv: PRODUCTION_WORKER_ENV });
  const extraWorkers: AppServer[] = [];
  try {
    const { shop, partner } = await pipeline.connectNewShop();
    await recordHeldOrders(pipeline, shop, orders);
    for (let started = 1; started < workers; started++) {
      extraWorkers.push(await startAppServer({ env: PRODUCTION_WORKER_ENV }));
    }

    const appPids = [pipeline.app, ...extraWorkers].map((server) => server.process.pid!);
    const cpuAtRelease = cpuUsageAvailable() ? cpuSnapshot(appPids) : null;
    const releasedAt = new Date();
    await pipeline.db.webhookEvent.updateMany({
      where: { shopDomain: shop },
      data: { nextAttemptAt: releasedAt },
    });
    const isRewarded = { shopDomain: shop, status: "rewarded" };
    const deadline = releasedAt.getTime() + timeLimitMs;
    let rewarded = 0;
    while (rewarded < orders.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rewarded = await pipeline.db.reward.count({ where: isRewarded });
    }
    const cpuAtEnd = cpuAtRelease ? cpuSnapshot(appPids) : null;
    const last = await pipeline.db.reward.aggregate({
      where: isRewarded,
      _max: { rewardedAt: true },
    });
    const endedAt = rewarded === orders.length ? last._max.rewardedAt!.getTime() : Date.now();
    const seconds = (endedAt - releasedAt.getTime()) / 1000;
    const tally = tallyOrders(
      await pipeline.actions(partner.partnerId),
      orders.map((order) => order.orderId),
    );
    return {
      database: kind,
      workers,
      orders: orders.length,
      rewarded,
      seconds,
      ordersPerSecond: rewarded / seconds,
      tally,
      cpu: cpuAtRelease && cpuAtEnd ? cpuUsageBetween(cpuAtRelease, cpuAtEnd, rewarded) : null,
    };
  } finally {
    await Promise.all(extraWorkers.map((server) => server.stop()));
    await pipeline.stop();
    await database.drop();
  }
}
