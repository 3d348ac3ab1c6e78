import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { deliverShopifyWebhook } from "../helpers/shopify-webhooks";
import { parsePrometheusText, sampleValue, type Scrape } from "../../app/metrics/prometheus-text";

// The production server with METRICS_TOKEN, on a database of its own: the scrape's gauges count
// every shop's rows, and another file's app server would process (and count) this file's work.
const METRICS_TOKEN = `metrics-${randomUUID()}`;
const USD_ORDER_ID = "8817694701178518903";

let database: TestDatabase;
let sharedDatabaseUrl: string | undefined;
let pipeline: Pipeline;
beforeAll(async () => {
  database = await createTestDatabase();
  sharedDatabaseUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = database.url;
  pipeline = await Pipeline.start({ appEnv: { METRICS_TOKEN } });
});
afterAll(async () => {
  await pipeline?.stop();
  process.env.DATABASE_URL = sharedDatabaseUrl;
  await database?.drop();
});

function metrics(authorization?: string) {
  return fetch(`${pipeline.app.url}/metrics`, {
    headers: authorization ? { Authorization: authorization } : {},
  });
}

async function scrape(): Promise<Scrape> {
  const response = await metrics(`Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parsePrometheusText(await response.text());
}

const value = (scraped: Scrape, name: string, labels: Record<string, string> = {}) =>
  sampleValue(scraped, `sir_rewards_${name}`, labels) ?? 0;

const statusOf = async (shop: string, orderId: string) =>
  (await pipeline.reward(shop, orderId))?.status;

// Everything the worker was handed is applied (SIR's webhooks for the actions included), in a
// scrape the worker thread answered in time (on a busy machine one may not: thread_up 0).
const settled = () =>
  waitFor(
    async () => {
      const scraped = await scrape();
      return value(scraped, "inbox_backlog") === 0 &&
        value(scraped, "metrics_thread_up", { thread: "worker" }) === 1
        ? scraped
        : null;
    },
    { what: "an empty inbox, and the worker thread's figures" },
  );

describe("/metrics on the production server", () => {
  it("is refused without the bearer token", async () => {
    expect((await metrics()).status).toBe(401);
    expect((await metrics("Bearer wrong")).status).toBe(401);
    expect((await metrics(`Basic ${METRICS_TOKEN}`)).status).toBe(401);
  });

  it("counts what a paid order and a refund did, the worker thread's calls included", async () => {
    const { shop } = await pipeline.connectNewShop();
    const eventId = randomUUID();
    const order = shopifyFixture("orders-paid-usd");
    expect((await pipeline.deliver("orders/paid", shop, order, eventId)).status).toBe(200);
    expect((await pipeline.deliver("orders/paid", shop, order, eventId)).status).toBe(200);
    const forged = await deliverShopifyWebhook(pipeline.app.url, {
      topic: "orders/paid",
      shop,
      body: order,
      secret: "not-the-app-secret",
    });
    expect(forged.status).toBe(401);
    await waitFor(async () => (await statusOf(shop, USD_ORDER_ID)) === "rewarded");
    const refund = shopifyFixture("refunds-create-partial-30");
    expect((await pipeline.deliver("refunds/create", shop, refund)).status).toBe(200);
    await waitFor(async () => (await statusOf(shop, USD_ORDER_ID)) === "partially_reversed");

    const scraped = await settled();
    const acks = (topic: string, status: string) =>
      value(scraped, "webhook_acks_total", { topic, status, thread: "main" });
    expect(acks("orders/paid", "200")).toBe(2);
    expect(acks("orders/paid", "401")).toBe(1);
    expect(acks("refunds/create", "200")).toBe(1);
    const ackTimes = (topic: string) =>
      value(scraped, "webhook_ack_duration_seconds_count", { topic, thread: "main" });
    expect(ackTimes("orders/paid")).toBe(3);
    expect(ackTimes("refunds/create")).toBe(1);
    // SIR's webhooks for the action and the reversal came in too (how many is SIR's business).
    expect(acks("sir", "200")).toBeGreaterThan(0);

    const rewards = (status: string) => value(scraped, "rewards", { status });
    expect(rewards("partially_reversed")).toBe(1);
    for (const status of ["pending", "rewarded", "reversed", "parked", "failed", "skipped"]) {
      expect(rewards(status)).toBe(0);
    }

    // The calls were made in the worker thread, and reached this scrape from it.
    const calls = (endpoint: string, outcome: string, thread = "worker") =>
      value(scraped, "provider_calls_total", { endpoint, outcome, thread });
    expect(calls("bulk", "ok")).toBe(1);
    expect(calls("reverse", "ok")).toBe(1);
    expect(calls("submit", "ok")).toBe(0);
    expect(calls("bulk", "ok", "main")).toBe(0);
    expect(value(scraped, "provider_bulk_items_total", { outcome: "ok", thread: "worker" })).toBe(
      1,
    );
    const callTimes = (endpoint: string) =>
      value(scraped, "provider_call_duration_seconds_count", { endpoint, thread: "worker" });
    expect(callTimes("bulk")).toBe(1);
    expect(callTimes("reverse")).toBe(1);
    expect(value(scraped, "retries_scheduled_total", { queue: "reward", thread: "worker" })).toBe(
      0,
    );

    expect(value(scraped, "inbox_oldest_due_age_seconds")).toBe(0);
    expect(value(scraped, "shops_paused")).toBe(0);
    expect(value(scraped, "metrics_thread_up", { thread: "worker" })).toBe(1);
    expect(value(scraped, "metrics_database_up")).toBe(1);
    for (const thread of ["main", "worker"]) {
      expect(value(scraped, "heap_bytes", { kind: "used", thread })).toBeGreaterThan(0);
      expect(
        sampleValue(scraped, "sir_rewards_event_loop_delay_seconds", { quantile: "0.99", thread }),
      ).toBeGreaterThanOrEqual(0);
    }
    expect(pipeline.app.output()).not.toContain(METRICS_TOKEN);
  });

  it("counts a rate-limited call and the retry it scheduled", async () => {
    const { shop } = await pipeline.connectNewShop();
    const before = await settled();
    // Both tries of the call (the client retries once itself) are answered 429.
    await pipeline.control("POST", "faults", { force429: { count: 2, retryAfterSeconds: 1 } });
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    await waitFor(async () => (await statusOf(shop, USD_ORDER_ID)) === "rewarded");
    const after = await settled();
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    const worker = { thread: "worker" };
    expect(
      delta("provider_calls_total", { endpoint: "bulk", outcome: "retryable", ...worker }),
    ).toBe(1);
    expect(delta("provider_calls_total", { endpoint: "bulk", outcome: "ok", ...worker })).toBe(1);
    expect(delta("retries_scheduled_total", { queue: "reward", ...worker })).toBe(1);
    expect(delta("rewards", { status: "rewarded" })).toBe(1);
  });
});
