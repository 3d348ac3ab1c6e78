import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control, purchase, signedRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";
import { isValidWebhookSignature } from "./test-signing";
import { startWebhookReceiver, type WebhookReceiver } from "./test-webhook-receiver";
import { signWebhookBody } from "./webhooks";

const sandbox = useSandboxPartner({
  options: { webhookRetryDelaysMs: [20, 40, 60] },
  partner: { poolBalance: 1000, lowBalanceThreshold: 900 },
});

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

const requestRegistration = (body: Record<string, unknown> = {}) =>
  signedRequest(sandbox.url, sandbox.partner, "POST", "/v1/partner/webhooks", {
    url: receiver.url,
    description: "test receiver",
    eventTypes: ["action.completed", "action.reversed"],
    receiveAllEvents: false,
    ...body,
  });

const register = async (body: Record<string, unknown> = {}) => {
  const response = await requestRegistration(body);
  expect(response.status).toBe(201);
  return response.json as { id: string; secret: string };
};

const deliveries = async (webhookId: string) =>
  (
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      `/v1/partner/webhooks/${webhookId}/deliveries?limit=20`,
    )
  ).json.deliveries as {
    id: string;
    eventId: string;
    eventType: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
  }[];

/** Polls the documented delivery log until the check passes (deliveries are asynchronous). */
const eventually = async (check: () => Promise<void>, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
};

describe("webhooks", () => {
  it("signs deliveries as documented (the sandbox's signer matches the documented vector)", () => {
    expect(
      signWebhookBody(
        "whsec_test",
        "1746876000",
        '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99}',
      ),
    ).toBe("sha256=5c41156dd76beb7693275180d67c826686e40d7b010e420bc001e686af0df8ed");
  });

  it("returns the secret only on registration", async () => {
    const webhook = await register();
    expect(webhook.secret).toMatch(/^whsec_[0-9a-f]+$/);
    const list = await signedRequest(sandbox.url, sandbox.partner, "GET", "/v1/partner/webhooks");
    expect(list.json.webhooks).toEqual([
      expect.objectContaining({
        id: webhook.id,
        url: receiver.url,
        eventTypes: ["action.completed", "action.reversed"],
        isActive: true,
      }),
    ]);
    expect(list.text).not.toContain(webhook.secret);
  });

  it("rejects unknown event types and non-http URLs", async () => {
    for (const body of [
      { eventTypes: ["order.paid"] },
      { url: "ftp://example.com" },
      { eventTypes: [] },
    ]) {
      const response = await requestRegistration(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("delivers action.completed signed with the webhook secret", async () => {
    const webhook = await register();
    const submitted = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 49.99),
    );
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.headers["user-agent"]).toBe("SIRGiving-Webhooks/1.0");
    const timestamp = delivery.headers["x-sir-timestamp"] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(
      isValidWebhookSignature({
        secret: webhook.secret,
        timestamp,
        rawBody: delivery.rawBody,
        signatureHeader: delivery.headers["x-sir-signature"] as string,
      }),
    ).toBe(true);
    expect(
      isValidWebhookSignature({
        secret: "whsec_wrong",
        timestamp,
        rawBody: delivery.rawBody,
        signatureHeader: delivery.headers["x-sir-signature"] as string,
      }),
    ).toBe(false);
    const envelope = JSON.parse(delivery.rawBody);
    expect(envelope).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: "action.completed",
      createdAt: expect.any(String),
      data: {
        actionId: submitted.json.actionId,
        idempotencyKey: "order_1",
        tokensDistributed: 50,
        partnerUserId: "user_42",
      },
    });
    await eventually(async () => {
      expect(await deliveries(webhook.id)).toEqual([
        expect.objectContaining({
          eventId: envelope.id,
          eventType: "action.completed",
          status: "SUCCEEDED",
          attempts: 1,
          lastStatusCode: 200,
        }),
      ]);
    });
  });

  it("retries a failing receiver with backoff and then succeeds", async () => {
    const webhook = await register();
    receiver.respondWith([500, 503]);
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    const attempts = await receiver.waitFor(3);
    const eventIds = attempts.map((attempt) => JSON.parse(attempt.rawBody).id);
    expect(new Set(eventIds).size).toBe(1);
    expect(attempts[1].receivedAtMs - attempts[0].receivedAtMs).toBeGreaterThanOrEqual(15);
    expect(attempts[2].receivedAtMs - attempts[1].receivedAtMs).toBeGreaterThanOrEqual(35);
    await eventually(async () => {
      expect(await deliveries(webhook.id)).toEqual([
        expect.objectContaining({ status: "SUCCEEDED", attempts: 3, lastStatusCode: 200 }),
      ]);
    });
  });

  it("marks a delivery FAILED after the last retry, and a manual retry sends it again", async () => {
    const webhook = await register();
    receiver.respondWith([500, 500, 500, 500]);
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    await receiver.waitFor(4);
    let failed: Awaited<ReturnType<typeof deliveries>>[number] | undefined;
    await eventually(async () => {
      [failed] = await deliveries(webhook.id);
      expect(failed).toMatchObject({
        status: "FAILED",
        attempts: 4,
        lastStatusCode: 500,
        lastError: "Receiver answered HTTP 500",
      });
    });
    const retried = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      `/v1/partner/webhooks/${webhook.id}/deliveries/${failed!.id}/retry`,
    );
    expect(retried.status).toBe(200);
    await receiver.waitFor(5);
    await eventually(async () => {
      expect((await deliveries(webhook.id))[0]).toMatchObject({
        id: failed!.id,
        status: "SUCCEEDED",
        attempts: 5,
      });
    });
  });

  it("sends webhook.test on request and filters events by subscription", async () => {
    const webhook = await register({ eventTypes: ["action.reversed"] });
    const test = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      `/v1/partner/webhooks/${webhook.id}/test`,
    );
    expect(test.json).toMatchObject({ success: true, eventId: expect.stringMatching(/^evt_/) });
    const [delivery] = await receiver.waitFor(1);
    expect(JSON.parse(delivery.rawBody)).toMatchObject({
      type: "webhook.test",
      data: { webhookId: webhook.id },
    });
    const submitted = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      `/v1/partner/actions/${submitted.json.actionId}/reverse`,
      {
        reversalPercentage: 100,
        reason: "refund",
        refundIdempotencyKey: "refund_1",
      },
    );
    const [, reversed] = await receiver.waitFor(2);
    expect(JSON.parse(reversed.rawBody)).toMatchObject({
      type: "action.reversed",
      data: {
        actionId: submitted.json.actionId,
        tokensClawedBack: 10,
        refundIdempotencyKey: "refund_1",
      },
    });
    expect(receiver.received).toHaveLength(2);
  });

  it("fires token_pool.low_balance once per crossing and token_pool.refilled on refill", async () => {
    await register({ eventTypes: ["token_pool.low_balance", "token_pool.refilled"] });
    const submit = (key: string, amount: number) =>
      signedRequest(
        sandbox.url,
        sandbox.partner,
        "POST",
        "/v1/partner/actions/submit",
        purchase(key, amount),
      );
    await submit("order_1", 50); // 950: above the 900 threshold
    await submit("order_2", 100); // 850: crosses
    await submit("order_3", 10); // 840: still below, no second event
    await control(sandbox.url, "POST", `pools/${sandbox.partner.poolId}/refill`, { amount: 500 }); // 1340
    await submit("order_4", 500); // 840: crosses again
    const events = (await receiver.waitFor(3)).map((delivery) => JSON.parse(delivery.rawBody));
    expect(events.map((event) => [event.type, event.data.availableBalance])).toEqual([
      ["token_pool.low_balance", 850],
      ["token_pool.refilled", 1340],
      ["token_pool.low_balance", 840],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(3);
  });

  it("stops delivering to a deleted webhook and lists every delivery in the control log", async () => {
    const webhook = await register();
    const deleted = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "DELETE",
      `/v1/partner/webhooks/${webhook.id}`,
    );
    expect(deleted.json).toEqual({ id: webhook.id, deleted: true });
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(0);
    expect((await control(sandbox.url, "GET", "webhook-deliveries")).json.deliveries).toEqual([]);
  });
});
