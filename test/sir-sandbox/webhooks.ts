/**
 * Outbound webhooks: signed as documented, delivered at least once, retried with backoff.
 * Signature: "sha256=" + hex HMAC-SHA256(secret, X-SIR-Timestamp + "." + rawBody).
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { newEventId, newObjectId } from "./ids";
import type { SandboxState, Webhook, WebhookDelivery } from "./state";

export const WEBHOOK_EVENT_TYPES = [
  "action.completed",
  "action.failed",
  "action.reversed",
  "transaction.completed",
  "campaign.activated",
  "campaign.budget_reached",
  "campaign.completed",
  "token_pool.low_balance",
  "token_pool.refilled",
  "token_pool_request.approved",
  "token_pool_request.rejected",
  "webhook.test",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const DELIVERY_TIMEOUT_MS = 10_000;

export function signWebhookBody(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

export function describeDelivery(delivery: WebhookDelivery) {
  const {
    id,
    webhookId,
    eventId,
    eventType,
    status,
    attempts,
    lastStatusCode,
    lastError,
    createdAt,
  } = delivery;
  return {
    id,
    webhookId,
    eventId,
    eventType,
    status,
    attempts,
    lastStatusCode,
    lastError,
    createdAt,
  };
}

export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  /** Bumped by cancelAll so callbacks of cancelled attempts change nothing. */
  private generation = 0;

  constructor(
    private readonly state: SandboxState,
    private readonly now: () => number,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  /**
   * Queues one delivery per subscribed, active webhook of the partner. The payload is built
   * only when someone listens, which keeps unwatched submits cheap.
   */
  emit(partnerId: string, type: WebhookEventType, buildData: () => unknown): void {
    const partner = this.state.partners.get(partnerId);
    if (!partner || partner.webhookIds.length === 0) return;
    let envelope: { eventId: string; body: string } | null = null;
    for (const webhookId of partner.webhookIds) {
      const webhook = this.state.webhooks.get(webhookId);
      if (!webhook?.isActive) continue;
      if (!webhook.receiveAllEvents && !webhook.eventTypes.includes(type)) continue;
      envelope ??= this.envelope(type, buildData());
      this.deliver(webhook, type, envelope);
    }
  }

  sendTest(webhook: Webhook): WebhookDelivery {
    const data = { webhookId: webhook.id, message: "Test event from the SIR Giving sandbox" };
    return this.deliver(webhook, "webhook.test", this.envelope("webhook.test", data));
  }

  /** A manual retry: one attempt now, then the normal retry schedule again. */
  retry(delivery: WebhookDelivery): void {
    delivery.status = "PENDING";
    delivery.failuresInRound = 0;
    this.attempt(delivery);
  }

  cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
  }

  close(): void {
    this.cancelAll();
    this.agents["http:"].destroy();
    this.agents["https:"].destroy();
  }

  private envelope(type: WebhookEventType, data: unknown) {
    const eventId = newEventId();
    const createdAt = new Date(this.now()).toISOString();
    // behaviour.webhookEnvelope: the documented field names, or other plausible ones.
    const envelope =
      this.state.behaviour.webhookEnvelope === "alternate"
        ? { eventId, event: type, timestamp: createdAt, payload: data }
        : { id: eventId, type, createdAt, data };
    return { eventId, body: JSON.stringify(envelope) };
  }

  private deliver(
    webhook: Webhook,
    type: WebhookEventType,
    envelope: { eventId: string; body: string },
  ) {
    const delivery: WebhookDelivery = {
      id: newObjectId(),
      webhookId: webhook.id,
      eventId: envelope.eventId,
      eventType: type,
      body: envelope.body,
      status: "PENDING",
      attempts: 0,
      failuresInRound: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: new Date(this.now()).toISOString(),
    };
    this.state.deliveries.set(delivery.id, delivery);
    webhook.deliveryIds.push(delivery.id);
    this.attempt(delivery);
    return delivery;
  }

  private attempt(delivery: WebhookDelivery): void {
    const webhook = this.state.webhooks.get(delivery.webhookId);
    if (!webhook?.isActive) {
      delivery.status = "FAILED";
      delivery.lastError = "Webhook was deleted";
      return;
    }
    const generation = this.generation;
    const url = new URL(webhook.url);
    const timestamp = String(Math.floor(this.now() / 1000));
    delivery.attempts += 1;

    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent: this.agents[url.protocol as "http:" | "https:"],
      timeout: DELIVERY_TIMEOUT_MS,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(delivery.body),
        "User-Agent": "SIRGiving-Webhooks/1.0",
        "X-SIR-Timestamp": timestamp,
        "X-SIR-Signature": signWebhookBody(webhook.secret, timestamp, delivery.body),
      },
    });
    this.inFlight.add(request);
    let settled = false;
    const settle = (statusCode: number | null, error: string | null) => {
      this.inFlight.delete(request);
      if (settled || generation !== this.generation) return;
      settled = true;
      delivery.lastStatusCode = statusCode;
      delivery.lastError = error;
      if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
        delivery.status = "SUCCEEDED";
      } else {
        this.scheduleRetry(delivery);
      }
    };
    request.on("response", (response) => {
      response.resume();
      response.on("error", (error) => settle(null, error.message));
      response.on("end", () => {
        const code = response.statusCode ?? 0;
        settle(code, code >= 200 && code < 300 ? null : `Receiver answered HTTP ${code}`);
      });
    });
    request.on("timeout", () =>
      request.destroy(new Error(`No response within ${DELIVERY_TIMEOUT_MS} ms`)),
    );
    request.on("error", (error) => settle(null, error.message));
    request.end(delivery.body);
  }

  private scheduleRetry(delivery: WebhookDelivery): void {
    const delayMs = this.retryDelaysMs[delivery.failuresInRound];
    delivery.failuresInRound += 1;
    if (delayMs === undefined) {
      delivery.status = "FAILED";
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(delivery);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
