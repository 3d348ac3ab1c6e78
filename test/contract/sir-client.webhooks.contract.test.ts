/**
 * Contract: the SIR client against the SIR sandbox, outbound webhooks. Registration (secret shown
 * once), signed deliveries verified with the client's verifier, the delivery log, and retries.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  parseSirWebhookEnvelope,
  verifySirWebhookSignature,
  type SirClient,
  type WebhookDelivery,
} from "../../app/sir";
import {
  ContractSandbox,
  clientFor,
  eventually,
  purchase,
  startReceiver,
  type ReceivedDelivery,
  type WebhookReceiver,
} from "./contract-helpers";

let sandbox: ContractSandbox;
let client: SirClient;
let receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  sandbox = await ContractSandbox.start({ webhookRetryDelaysMs: [50, 100, 200] });
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  client = clientFor(sandbox.url, await sandbox.createPartner()).client;
});
afterEach(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  receivers = [];
});

async function receiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const started = await startReceiver(statuses);
  receivers.push(started);
  return started;
}

function verify(delivery: ReceivedDelivery, secret: string) {
  return verifySirWebhookSignature({
    secret,
    timestampHeader: delivery.headers["x-sir-timestamp"] as string | undefined,
    signatureHeader: delivery.headers["x-sir-signature"] as string | undefined,
    rawBody: delivery.rawBody,
  });
}

/** The delivery as listed by SIR, once it is no longer PENDING. */
function settledDelivery(webhookId: string, deliveryId: unknown): Promise<WebhookDelivery> {
  return eventually(
    async () => {
      const listed = await client.listWebhookDeliveries(webhookId);
      const delivery = listed.find((item) => item.id === deliveryId);
      return delivery && delivery.status !== "PENDING" ? delivery : null;
    },
    { what: `delivery ${String(deliveryId)} to settle` },
  );
}

describe("webhooks", () => {
  it("register → whsec_ secret; testWebhook → a delivery the client verifies; log SUCCEEDED", async () => {
    const endpoint = await receiver();
    const registered = await client.registerWebhook({
      url: endpoint.url,
      description: "contract test",
      eventTypes: ["action.completed"],
      receiveAllEvents: false,
    });
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9]+$/);
    expect(registered).toMatchObject({
      url: endpoint.url,
      eventTypes: ["action.completed"],
      isActive: true,
    });
    // Shown once: the list has the webhook, not its secret.
    const listed = await client.listWebhooks();
    expect(listed.map((webhook) => webhook.id)).toEqual([registered.id]);
    expect(listed[0].secret).toBeUndefined();

    const test = await client.testWebhook(registered.id);
    expect(test).toMatchObject({ success: true });
    const [delivery] = await endpoint.waitForDeliveries(1);

    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.headers["user-agent"]).toBe("SIRGiving-Webhooks/1.0");
    expect(delivery.headers["x-sir-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify(delivery, registered.secret)).toEqual({ ok: true });
    expect(verify(delivery, "whsec_wrong")).toEqual({ ok: false, reason: "bad_signature" });
    const tampered = { ...delivery, rawBody: delivery.rawBody.replace("webhook.test", "x") };
    expect(verify(tampered, registered.secret)).toEqual({ ok: false, reason: "bad_signature" });
    const envelope = parseSirWebhookEnvelope(delivery.rawBody);
    expect(envelope).toMatchObject({ id: test.eventId, type: "webhook.test" });

    const logged = await settledDelivery(registered.id, test.deliveryId);
    expect(logged).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
      lastStatusCode: 200,
      eventId: test.eventId,
    });
  });

  it("a subscribed event (action.completed) arrives signed, with the submitted action", async () => {
    const endpoint = await receiver();
    const registered = await client.registerWebhook({
      url: endpoint.url,
      eventTypes: ["action.completed"],
      receiveAllEvents: false,
    });
    const { action } = await client.submitAction(purchase("hook-1", "12.00"));
    await client.submitAction(purchase("hook-2", "3.00"));

    const deliveries = await endpoint.waitForDeliveries(2);
    const envelopes = deliveries.map((delivery) => parseSirWebhookEnvelope(delivery.rawBody));
    for (const delivery of deliveries) {
      expect(verify(delivery, registered.secret)).toEqual({ ok: true });
    }
    expect(envelopes.map((envelope) => envelope?.type)).toEqual([
      "action.completed",
      "action.completed",
    ]);
    const first = envelopes.find((envelope) => envelope?.data.idempotencyKey === "hook-1");
    const second = envelopes.find((envelope) => envelope?.data.idempotencyKey === "hook-2");
    expect(first?.id).toMatch(/^evt_/);
    expect(first?.data).toMatchObject({ actionId: action.actionId, tokensDistributed: 12 });

    // A signed read with a query string: only the newest delivery.
    const newest = await client.listWebhookDeliveries(registered.id, { limit: 1 });
    expect(newest.map((item) => item.eventId)).toEqual([second?.id]);
  });

  it("a receiver answering 500 then 200 is retried: two attempts, same event, SUCCEEDED", async () => {
    const endpoint = await receiver([500]);
    const registered = await client.registerWebhook({
      url: endpoint.url,
      eventTypes: ["action.completed"],
      receiveAllEvents: false,
    });

    const test = await client.testWebhook(registered.id);
    const [first, second] = await endpoint.waitForDeliveries(2);
    const logged = await settledDelivery(registered.id, test.deliveryId);

    expect(logged).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 200 });
    // Same body (same evt_ id) on every attempt, each signed on its own.
    expect(second.rawBody).toBe(first.rawBody);
    expect(parseSirWebhookEnvelope(first.rawBody)?.id).toBe(test.eventId);
    expect(verify(first, registered.secret)).toEqual({ ok: true });
    expect(verify(second, registered.secret)).toEqual({ ok: true });
    expect(second.receivedAtMs - first.receivedAtMs).toBeGreaterThanOrEqual(45);
    expect(endpoint.deliveries).toHaveLength(2);
  });
});
