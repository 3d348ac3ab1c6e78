import { createHash, createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { paidOrder } from "../helpers/paid-orders";
import { buildShopifyWebhook, signShopifyWebhook } from "../helpers/shopify-webhooks";
import { printFigures, waitForIdle } from "../helpers/sir-tally";
import { waitFor } from "../helpers/wait-for";
import { testDatabaseKind } from "../helpers/test-database";
import { TEST_APP_ENV } from "../helpers/app-env";
import { decryptCredentials } from "../../app/models/ProviderConnection.server";
import { MAX_WEBHOOK_BYTES } from "../../app/webhooks/request-guards.server";
import type { Database } from "../../app/db.server";

const RUNS = 10_000;
// Fixed, so a failure reproduces; FUZZ_SEED explores other inputs.
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const SIR_TOLERANCE_SECONDS = 300;

type Expected = "4xx" | "duplicate";
type FuzzRequest = {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  expected: Expected;
};

const TOPICS = [
  "orders/paid",
  "refunds/create",
  "orders/cancelled",
  "app/uninstalled",
  "shop/redact",
];
const nowSeconds = () => Math.floor(Date.now() / 1000);
const hmacHex = (secret: string, text: string) =>
  createHmac("sha256", secret).update(text).digest("hex");
const signSir = (secret: string, timestamp: string, body: string) =>
  `sha256=${hmacHex(secret, `${timestamp}.${body}`)}`;

/** Every table, hashed row by row: "unchanged" means unchanged, not just the same counts. */
async function databaseFingerprint(db: Database) {
  const tables = {
    session: await db.session.findMany({ orderBy: { id: "asc" } }),
    shop: await db.shop.findMany({ orderBy: { id: "asc" } }),
    webhookEvent: await db.webhookEvent.findMany({ orderBy: { id: "asc" } }),
    providerConnection: await db.providerConnection.findMany({ orderBy: { id: "asc" } }),
    rewardSettings: await db.rewardSettings.findMany({ orderBy: { shopDomain: "asc" } }),
    reward: await db.reward.findMany({ orderBy: { id: "asc" } }),
    reversal: await db.reversal.findMany({ orderBy: { id: "asc" } }),
    rewardEvent: await db.rewardEvent.findMany({ orderBy: { id: "asc" } }),
    customerDataRequest: await db.customerDataRequest.findMany({ orderBy: { id: "asc" } }),
    backfillRun: await db.backfillRun.findMany({ orderBy: { id: "asc" } }),
  };
  const text = JSON.stringify(tables, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  const rows = Object.values(tables).reduce((sum, table) => sum + table.length, 0);
  return { rows, hash: createHash("sha256").update(text).digest("hex") };
}

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

it(`answers 10,000 hostile webhook bodies with 4xx and changes nothing (${testDatabaseKind()})`, async () => {
  const { shop } = await pipeline.connectNewShop();
  const connection = await pipeline.db.providerConnection.findUniqueOrThrow({
    where: { shopDomain: shop },
  });
  const sirSecret = decryptCredentials(connection).webhookSecret!;
  const appSecret = TEST_APP_ENV.SHOPIFY_API_SECRET;

  // Genuine deliveries, accepted once before the snapshot: their exact redeliveries must be
  // answered 200 and ignored, and their captured signatures must not sign anything else.
  const order = paidOrder(0);
  const shopifyDelivery = buildShopifyWebhook({ topic: "orders/paid", shop, body: order.body });
  const first = await fetch(`${pipeline.app.url}/webhooks/orders/paid`, {
    method: "POST",
    headers: shopifyDelivery.headers,
    body: shopifyDelivery.rawBody,
  });
  expect(first.status).toBe(200);
  const sirEnvelope = JSON.stringify({
    id: `evt_${randomUUID().replaceAll("-", "")}`,
    type: "action.completed",
    createdAt: new Date().toISOString(),
    data: { actionId: "fuzz-action" },
  });
  const sirPath = `/webhooks/sir?shop=${encodeURIComponent(shop)}`;
  const sirTimestamp = String(nowSeconds());
  const sirSignature = signSir(sirSecret, sirTimestamp, sirEnvelope);
  const sirFirst = await fetch(pipeline.app.url + sirPath, {
    method: "POST",
    headers: { "X-SIR-Timestamp": sirTimestamp, "X-SIR-Signature": sirSignature },
    body: sirEnvelope,
  });
  expect(sirFirst.status).toBe(200);
  await waitForIdle(pipeline.db, [shop]);
  await waitFor(
    async () => {
      const { deliveries } = await pipeline.control<{ deliveries: Array<{ status: string }> }>(
        "GET",
        "webhook-deliveries",
      );
      return deliveries.every((delivery) => delivery.status !== "PENDING");
    },
    { what: "SIR's own webhooks to the app to settle" },
  );
  const before = await databaseFingerprint(pipeline.db);

  const shopifyRedelivery: FuzzRequest = {
    kind: "shopify redelivery",
    path: "/webhooks/orders/paid",
    headers: shopifyDelivery.headers,
    body: shopifyDelivery.rawBody,
    expected: "duplicate",
  };
  const oversized = "x".repeat(MAX_WEBHOOK_BYTES);
  // Header values a client can send at all: printable ASCII.
  const headerText = (maxLength: number) => fc.string({ unit: "grapheme-ascii", maxLength });
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    // A real payload cut short or with one character changed.
    fc.nat(order.body.length - 1).map((at) => order.body.slice(0, at)),
    fc
      .tuple(fc.nat(order.body.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([at, char]) => order.body.slice(0, at) + char + order.body.slice(at + 1)),
  );
  const shopDomain = fc.oneof(
    fc.constant(shop),
    fc.constant("unknown-shop.myshopify.com"),
    headerText(40),
  );

  const shopifyRequest = fc
    .record({
      topic: fc.oneof(fc.constantFrom(...TOPICS), headerText(30)),
      shopDomain,
      body: text,
      signature: fc.constantFrom("none", "garbage", "wrong-secret", "captured"),
      garbage: fc.base64String({ maxLength: 60 }),
      wrongSecret: fc.string({ minLength: 1, maxLength: 40 }),
      eventId: fc.oneof(fc.uuid(), headerText(20)),
    })
    .map(({ topic, shopDomain, body, signature, garbage, wrongSecret, eventId }): FuzzRequest => {
      const hmac = {
        none: null,
        garbage,
        "wrong-secret": signShopifyWebhook(body, wrongSecret === appSecret ? "x" : wrongSecret),
        // Replayed: a genuine signature carried over to other bytes.
        captured: shopifyDelivery.headers["X-Shopify-Hmac-Sha256"],
      }[signature];
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shopDomain,
        "X-Shopify-Event-Id": eventId,
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-API-Version": "2026-10",
        ...(hmac === null ? {} : { "X-Shopify-Hmac-Sha256": hmac }),
      };
      // The captured signature on its own body is the genuine delivery again.
      if (signature === "captured" && body === shopifyDelivery.rawBody) return shopifyRedelivery;
      return {
        kind: `shopify ${signature}`,
        path: `/webhooks/${topic.replace(/[^a-z/_]/g, "") || "orders/paid"}`,
        headers,
        body,
        expected: "4xx",
      };
    });

  const sirRequest = fc
    .record({
      shopParam: fc.oneof(fc.constant(shop), shopDomain, fc.constant(null)),
      body: text,
      clock: fc.constantFrom("now", "stale", "future", "garbage", "missing"),
      skewSeconds: fc.integer({ min: SIR_TOLERANCE_SECONDS + 1, max: 10_000_000 }),
      signature: fc.constantFrom("none", "garbage", "wrong-secret", "captured", "genuine"),
      garbage: headerText(80),
      wrongSecret: fc.string({ minLength: 1, maxLength: 40 }),
    })
    .map(
      ({ shopParam, body, clock, skewSeconds, signature, garbage, wrongSecret }): FuzzRequest => {
        const timestamp = {
          now: String(nowSeconds()),
          stale: String(nowSeconds() - skewSeconds),
          future: String(nowSeconds() + skewSeconds),
          garbage,
          missing: null,
        }[clock];
        const signed = signature === "genuine" && timestamp !== null;
        const validRequest = signed && clock === "now" && shopParam === shop;
        // A genuine signature on a fresh, well-formed envelope would be a real new event: the
        // fuzz only signs bodies that are not envelopes (cut-off JSON) when everything else is right.
        const sirBody = validRequest
          ? sirEnvelope.slice(0, body.length % sirEnvelope.length)
          : body;
        const value = {
          none: null,
          garbage,
          "wrong-secret": signSir(wrongSecret, timestamp ?? "", sirBody),
          // Replayed: the genuine delivery's signature on other bytes or another timestamp.
          captured: sirSignature,
          genuine: signSir(sirSecret, timestamp ?? "", sirBody),
        }[signature];
        const headers: Record<string, string> = {
          "Content-Type": "application/json",
          ...(timestamp === null ? {} : { "X-SIR-Timestamp": timestamp }),
          ...(value === null ? {} : { "X-SIR-Signature": value }),
        };
        const query = shopParam === null ? "" : `?shop=${encodeURIComponent(shopParam)}`;
        return {
          kind: `sir ${signature} ${clock}`,
          path: `/webhooks/sir${query}`,
          headers,
          body: sirBody,
          expected: "4xx",
        };
      },
    );

  const redelivery = fc.constantFrom<FuzzRequest>(shopifyRedelivery, {
    kind: "sir redelivery",
    path: sirPath,
    headers: { "X-SIR-Timestamp": sirTimestamp, "X-SIR-Signature": sirSignature },
    body: sirEnvelope,
    expected: "duplicate",
  });

  const oversizedRequest = fc
    .record({ sir: fc.boolean(), extra: fc.integer({ min: 1, max: 1000 }) })
    .map(({ sir, extra }): FuzzRequest => {
      const body = oversized + "y".repeat(extra);
      return {
        kind: `${sir ? "sir" : "shopify"} oversized`,
        path: sir ? sirPath : "/webhooks/orders/paid",
        headers: sir
          ? {
              "X-SIR-Timestamp": String(nowSeconds()),
              "X-SIR-Signature": signSir(sirSecret, String(nowSeconds()), body),
            }
          : buildShopifyWebhook({ topic: "orders/paid", shop, body }).headers,
        body,
        expected: "4xx",
      };
    });

  const hostile = fc.oneof(
    { arbitrary: shopifyRequest, weight: 48 },
    { arbitrary: sirRequest, weight: 48 },
    { arbitrary: redelivery, weight: 2 },
    { arbitrary: oversizedRequest, weight: 1 },
  );

  const figures = { sent: 0, accepted: 0, answered4xx: 0, answered5xx: 0, redeliveries: 0 };
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostile, async (request) => {
      const response = await fetch(pipeline.app.url + request.path, {
        method: "POST",
        headers: request.headers,
        body: request.body,
      });
      await response.arrayBuffer();
      figures.sent++;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200) figures.accepted++;
      if (response.status >= 400 && response.status < 500) figures.answered4xx++;
      if (response.status >= 500) figures.answered5xx++;
      if (request.expected === "duplicate") {
        figures.redeliveries++;
        expect(response.status, request.kind).toBe(200);
      } else {
        expect(response.status, request.kind).toBeGreaterThanOrEqual(400);
        expect(response.status, request.kind).toBeLessThan(500);
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  await waitForIdle(pipeline.db, [shop]);
  const after = await databaseFingerprint(pipeline.db);

  printFigures("hostile webhooks", {
    ...figures,
    ...Object.fromEntries([...statuses].map(([status, times]) => [`status${status}`, times])),
    rowsBefore: before.rows,
    rowsAfter: after.rows,
  });
  expect(figures.answered5xx).toBe(0);
  expect(figures.accepted).toBe(figures.redeliveries);
  expect(after).toEqual(before);
});
