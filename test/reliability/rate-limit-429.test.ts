import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline, type SandboxPartner } from "../helpers/pipeline";
import { mapWithConcurrency } from "../helpers/concurrency";
import { paidOrder, type PaidOrder } from "../helpers/paid-orders";
import { deliverBurst, delivery } from "../helpers/webhook-burst";
import { printFigures, tallyOrders, waitForIdle } from "../helpers/sir-tally";
import { testDatabaseKind } from "../helpers/test-database";

// One order per shop, each shop its own SIR partner key: a key's requests in the arrival log are
// then one order's attempts, in order, and "nothing before Retry-After" is a plain fact about
// consecutive arrivals. Twelve shops make the burst: the worker sends them concurrently.
const SHOPS_PER_BURST = 12;
const FORCED_429S = 8;
// 1 s is waited out inside the SIR client's call; 3 s is longer than the client waits
// (2 s), so the worker reschedules the order instead. Both must hold back.
const RETRY_AFTER_SECONDS = [1, 3];

type LoggedRequest = {
  method: string;
  path: string;
  status: number;
  receivedAtMs: number;
  partnerKeyPrefix: string | null;
};

type Shop = { shop: string; partner: SandboxPartner; order: PaidOrder };

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

/** Requests of one key that arrived before the Retry-After of an earlier 429 to that key. */
function earlyRequests(log: LoggedRequest[], keyPrefix: string, retryAfterMs: number) {
  const ofKey = log.filter((request) => request.partnerKeyPrefix === keyPrefix);
  return ofKey.filter((request, index) =>
    ofKey
      .slice(0, index)
      .some(
        (earlier) =>
          earlier.status === 429 && request.receivedAtMs < earlier.receivedAtMs + retryAfterMs,
      ),
  );
}

it(`sends nothing to SIR before Retry-After, and loses no order (${testDatabaseKind()})`, async () => {
  const shops: Shop[] = await mapWithConcurrency(
    Array.from({ length: SHOPS_PER_BURST * RETRY_AFTER_SECONDS.length }, (_, index) => index),
    4,
    async (index) => ({ ...(await pipeline.connectNewShop()), order: paidOrder(index) }),
  );
  const figures = { sent: 0, accepted: 0, answered429: 0, earlyRequests: 0 };

  for (const [burst, retryAfterSeconds] of RETRY_AFTER_SECONDS.entries()) {
    const burstShops = shops.slice(burst * SHOPS_PER_BURST, (burst + 1) * SHOPS_PER_BURST);
    const startedAtMs = Date.now();
    await pipeline.control("POST", "faults", {
      force429: { count: FORCED_429S, retryAfterSeconds },
    });
    const sent = await deliverBurst(
      () => pipeline.app.url,
      burstShops.map(({ shop, order }) => delivery("orders/paid", shop, order.body)),
    );
    await waitForIdle(
      pipeline.db,
      burstShops.map(({ shop }) => shop),
    );
    const { requests } = await pipeline.control<{ requests: LoggedRequest[] }>("GET", "requests");
    const log = requests.filter((request) => request.receivedAtMs >= startedAtMs);
    const early = burstShops.flatMap(({ partner }) =>
      earlyRequests(log, partner.secretKey.slice(0, 16), retryAfterSeconds * 1000),
    );
    figures.sent += sent.sent;
    figures.accepted += sent.accepted;
    figures.answered429 += log.filter((request) => request.status === 429).length;
    figures.earlyRequests += early.length;
    expect(early).toEqual([]);
  }

  const actions = (
    await Promise.all(shops.map(({ partner }) => pipeline.actions(partner.partnerId)))
  ).flat();
  const tally = tallyOrders(
    actions,
    shops.map(({ order }) => order.orderId),
  );
  printFigures("forced 429 with Retry-After", { ...figures, ...tally });
  expect(figures.answered429).toBe(FORCED_429S * RETRY_AFTER_SECONDS.length);
  expect(tally).toEqual({ actionsAtSir: shops.length, doubles: 0, lost: 0 });
});
