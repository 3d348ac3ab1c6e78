import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { paidOrders, TOKENS_PER_ORDER } from "../helpers/paid-orders";
import { deliverBurst, delivery } from "../helpers/webhook-burst";
import { printFigures, tallyOrders, waitForIdle } from "../helpers/sir-tally";
import { waitFor } from "../helpers/wait-for";
import { testDatabaseKind } from "../helpers/test-database";
import { sentActions } from "../helpers/sandbox-control";

const ORDERS = 300;
// The pool pays for exactly the first 150 orders; SIR answers 402 to the next submit.
const AFFORDABLE = 150;
// Several of the app's periodic pool checks (POOL_CHECK_MS is 500 in tests).
const PARKED_WATCH_MS = 2_000;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

/** Each purchase sent to SIR (alone or in a bulk call), with the status it got. */
const submits = async () => {
  return sentActions(await pipeline.sandboxRequests());
};

it(`parks orders on an empty pool (402) and rewards each once after the refill (${testDatabaseKind()})`, async () => {
  const { shop, partner } = await pipeline.connectNewShop({
    poolBalance: AFFORDABLE * TOKENS_PER_ORDER,
  });
  const orders = paidOrders(ORDERS);
  const sent = await deliverBurst(
    () => pipeline.app.url,
    orders.map(({ body }) => delivery("orders/paid", shop, body)),
  );
  await waitForIdle(pipeline.db, [shop]);
  const countByStatus = async (status: string) =>
    pipeline.db.reward.count({ where: { shopDomain: shop, status } });
  const parked = await countByStatus("parked");
  const paidBeforeRefill = (await pipeline.actions(partner.partnerId)).length;

  // While the pool stays empty, the app only asks for the balance: no purchase reaches SIR.
  const submitsWhileParked = (await submits()).length;
  await new Promise((resolve) => setTimeout(resolve, PARKED_WATCH_MS));
  const submitsAfterWatch = (await submits()).length;

  await pipeline.control("POST", `pools/${partner.poolId}/refill`, {
    amount: (ORDERS - AFFORDABLE) * TOKENS_PER_ORDER,
  });
  await waitFor(async () => (await countByStatus("rewarded")) === ORDERS, {
    timeoutMs: 120_000,
    what: "every parked order rewarded after the refill",
  });
  await waitForIdle(pipeline.db, [shop]);

  const refused = (await submits()).filter((request) => request.status === 402).length;
  const tally = tallyOrders(
    await pipeline.actions(partner.partnerId),
    orders.map((order) => order.orderId),
  );
  printFigures("402 empty pool, then refill", {
    ...sent,
    refused402: refused,
    parked,
    paidBeforeRefill,
    ...tally,
  });
  expect(paidBeforeRefill).toBe(AFFORDABLE);
  expect(parked).toBe(ORDERS - AFFORDABLE);
  expect(refused).toBeGreaterThanOrEqual(1);
  expect(submitsAfterWatch).toBe(submitsWhileParked);
  expect(tally).toEqual({ actionsAtSir: ORDERS, doubles: 0, lost: 0 });
});
