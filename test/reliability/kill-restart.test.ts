import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { sentActions } from "../helpers/sandbox-control";
import { paidOrders, partialRefund, TOKENS_PER_PARTIAL_REFUND } from "../helpers/paid-orders";
import { deliverBurst, delivery, type BurstDelivery } from "../helpers/webhook-burst";
import { printFigures, tallyOrders, tallyReversals, waitForIdle } from "../helpers/sir-tally";
import { waitFor } from "../helpers/wait-for";
import { testDatabaseKind } from "../helpers/test-database";

const ORDERS = 1_000;
const REFUND_EVERY = 4;
// A refund arrives this many orders after its own, so some are applied while others wait.
const REFUND_LAG = 20;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

it(`loses and doubles nothing when the app is killed -9 mid-burst (${testDatabaseKind()})`, async () => {
  const { shop, partner } = await pipeline.connectNewShop();
  // SIR answers after 200 ms but processes what it received even when the sender has died:
  // a submit in flight at the kill is recorded at SIR and never answered to the app.
  await pipeline.control("POST", "faults", { latencyMs: 200 });
  const orders = paidOrders(ORDERS);
  const refunded = orders.filter((_, index) => index % REFUND_EVERY === 0);
  const deliveries: BurstDelivery[] = [];
  for (let index = 0; index < ORDERS + REFUND_LAG; index++) {
    if (index < ORDERS) deliveries.push(delivery("orders/paid", shop, orders[index].body));
    const refundOf = index - REFUND_LAG;
    if (refundOf >= 0 && refundOf % REFUND_EVERY === 0) {
      deliveries.push(delivery("refunds/create", shop, partialRefund(refundOf)));
    }
  }

  // Purchases sent to SIR (alone or in a bulk call) and not answered yet.
  const submitsInFlight = () =>
    sentActions(pipeline.sandbox.state.requestLog).filter((action) => action.status === 0).length;
  // The first half arrives; once a submit is in flight at SIR, the second half starts and the
  // app is killed with SIGKILL at the same moment, then restarted on a new port.
  const appUrl = () => pipeline.app.url;
  const half = Math.floor(deliveries.length / 2);
  const first = await deliverBurst(appUrl, deliveries.slice(0, half));
  await waitFor(submitsInFlight, { intervalMs: 5, what: "a submit in flight" });
  const submitsInFlightAtKill = submitsInFlight();
  const [second] = await Promise.all([
    deliverBurst(appUrl, deliveries.slice(half)),
    pipeline.restartApp({ kill: true }),
  ]);
  await pipeline.control("DELETE", "faults");
  await waitForIdle(pipeline.db, [shop]);

  const actions = await pipeline.actions(partner.partnerId);
  const tally = tallyOrders(
    actions,
    orders.map((order) => order.orderId),
  );
  const reversals = tallyReversals(
    actions,
    refunded.map((order) => order.orderId),
  );
  printFigures("kill -9 mid-burst", {
    sent: first.sent + second.sent,
    accepted: first.accepted + second.accepted,
    acceptedAtKill: first.accepted,
    submitsInFlightAtKill,
    ...tally,
    ...reversals,
  });
  expect(submitsInFlightAtKill).toBeGreaterThan(0);
  expect(tally).toEqual({ actionsAtSir: ORDERS, doubles: 0, lost: 0 });
  expect(reversals).toEqual({
    reversalsAtSir: refunded.length,
    doubledReversals: 0,
    lostReversals: 0,
  });
  const reversedTokens = actions
    .filter((action) => action.reversals.length > 0)
    .map((action) => action.tokensReversed);
  expect(new Set(reversedTokens)).toEqual(new Set([TOKENS_PER_PARTIAL_REFUND]));
});
