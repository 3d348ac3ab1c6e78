/** Webhook registration, test events and the delivery log. */
import { isoNow } from "../context";
import { notFound, validationError } from "../errors";
import type { Route } from "../router";
import type { Partner, SandboxState, Webhook } from "../state";
import { describeWebhook, parseWebhookRegistration, registerWebhook } from "../webhook-registry";
import { parseLimit } from "../validation";
import { describeDelivery } from "../webhooks";

export const webhookRoutes: Route[] = [
  {
    method: "POST",
    path: "webhooks",
    auth: "hmac",
    scope: "webhooks:write",
    handle: ({ context, partner, body }) => {
      const registration = { ...parseWebhookRegistration(body().fields), secret: null };
      const webhook = registerWebhook(context.state, partner, registration, isoNow(context));
      // The only response that carries the secret.
      return { status: 201, body: { ...describeWebhook(webhook), secret: webhook.secret } };
    },
  },
  {
    method: "GET",
    path: "webhooks",
    auth: "hmac",
    scope: "webhooks:read",
    handle: ({ context, partner }) => ({
      status: 200,
      body: {
        webhooks: partner.webhookIds.map((id) => describeWebhook(context.state.webhooks.get(id)!)),
      },
    }),
  },
  {
    method: "DELETE",
    path: "webhooks/:webhookId",
    auth: "hmac",
    scope: "webhooks:write",
    handle: ({ context, partner, params }) => {
      const webhook = findWebhook(context.state, partner, params.webhookId);
      webhook.isActive = false;
      context.state.webhooks.delete(webhook.id);
      partner.webhookIds.splice(partner.webhookIds.indexOf(webhook.id), 1);
      return { status: 200, body: { id: webhook.id, deleted: true } };
    },
  },
  {
    method: "POST",
    path: "webhooks/:webhookId/test",
    auth: "hmac",
    scope: "webhooks:write",
    handle: ({ context, partner, params }) => {
      const delivery = context.webhooks.sendTest(
        findWebhook(context.state, partner, params.webhookId),
      );
      return {
        status: 200,
        body: { success: true, eventId: delivery.eventId, deliveryId: delivery.id },
      };
    },
  },
  {
    method: "GET",
    path: "webhooks/:webhookId/deliveries",
    auth: "hmac",
    scope: "webhooks:read",
    handle: ({ context, partner, params, query }) => {
      const webhook = findWebhook(context.state, partner, params.webhookId);
      const deliveries = webhook.deliveryIds
        .slice(-parseLimit(query))
        .reverse()
        .map((id) => describeDelivery(context.state.deliveries.get(id)!));
      return { status: 200, body: { deliveries } };
    },
  },
  {
    method: "POST",
    path: "webhooks/:webhookId/deliveries/:deliveryId/retry",
    auth: "hmac",
    scope: "webhooks:write",
    handle: ({ context, partner, params }) => {
      const webhook = findWebhook(context.state, partner, params.webhookId);
      const delivery = context.state.deliveries.get(params.deliveryId);
      if (delivery?.webhookId !== webhook.id) {
        throw notFound(`Delivery ${params.deliveryId} not found`);
      }
      if (delivery.status === "PENDING") {
        throw validationError(
          "This delivery is still being attempted; retry it once it has FAILED",
        );
      }
      context.webhooks.retry(delivery);
      return { status: 200, body: describeDelivery(delivery) };
    },
  },
];

function findWebhook(state: SandboxState, partner: Partner, webhookId: string): Webhook {
  const webhook = state.webhooks.get(webhookId);
  if (webhook?.partnerId !== partner.id) throw notFound(`Webhook ${webhookId} not found`);
  return webhook;
}
