import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { paidOrders } from "../helpers/paid-orders";
import { deliverBurst, delivery } from "../helpers/webhook-burst";
import { printFigures, tallyOrders, waitForIdle } from "../helpers/sir-tally";
import { waitFor } from "../helpers/wait-for";
import { testDatabaseKind } from "../helpers/test-database";
import { sentActions } from "../helpers/sandbox-control";

const ORDERS = 300;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

async function duringOutage<T>(run: () => Promise<T>): Promise<T> {
  await pipeline.control("POST", "faults", { outage: true });
  try {
    return await run();
  } finally {
    await pipeline.control("DELETE", "faults");
  }
}

it(`rewards every order once after a SIR outage in the middle of a burst (${testDatabaseKind()})`, async () => {
  const { shop, partner } = await pipeline.connectNewShop();
  const orders = paidOrders(ORDERS);
  const deliveries = orders.map(({ body }) => delivery("orders/paid", shop, body));
  const appUrl = () => pipeline.app.url;

  // The first third arrives while SIR is up, the rest during the outage.
  const before = await deliverBurst(appUrl, deliveries.slice(0, ORDERS / 3));
  const { during, rewardedBeforeRecovery } = await duringOutage(async () => {
    const sent = await deliverBurst(appUrl, deliveries.slice(ORDERS / 3));
    // Sustained: every order not yet sent has failed at least twice (each time with the
    // client's own quick retry) before SIR comes back.
    await waitFor(
      async () => {
        const recorded = await pipeline.db.reward.count({ where: { shopDomain: shop } });
        const notFailedTwice = await pipeline.db.reward.count({
          where: { shopDomain: shop, status: { not: "rewarded" }, attempts: { lt: 2 } },
        });
        return recorded === ORDERS && notFailedTwice === 0;
      },
      { timeoutMs: 120_000, intervalMs: 200, what: "every unsent order to fail twice" },
    );
    return {
      during: sent,
      rewardedBeforeRecovery: (await pipeline.actions(partner.partnerId)).length,
    };
  });
  await waitForIdle(pipeline.db, [shop]);

  // Purchases refused, counted per order whether sent alone or in a bulk call.
  const refused = sentActions(await pipeline.sandboxRequests()).filter(
    (action) => action.status === 503,
  ).length;
  const tally = tallyOrders(
    await pipeline.actions(partner.partnerId),
    orders.map((order) => order.orderId),
  );
  printFigures("SIR outage during a burst", {
    sent: before.sent + during.sent,
    accepted: before.accepted + during.accepted,
    submitsRefused503: refused,
    rewardedBeforeRecovery,
    ...tally,
  });
  expect(refused).toBeGreaterThanOrEqual(2 * (ORDERS - rewardedBeforeRecovery));
  expect(tally).toEqual({ actionsAtSir: ORDERS, doubles: 0, lost: 0 });
  const statuses = await pipeline.db.reward.groupBy({
    by: ["status"],
    where: { shopDomain: shop },
    _count: true,
  });
  expect(statuses).toEqual([{ status: "rewarded", _count: ORDERS }]);
});
