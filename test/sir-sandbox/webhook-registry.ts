/** Webhook registrations: parsing, creation and the public (secret-free) view. */
import { validationError } from "./errors";
import { newObjectId, newWebhookSecret } from "./ids";
import type { Partner, SandboxState, Webhook } from "./state";
import {
  optionalBoolean,
  optionalString,
  requiredString,
  type Fields,
  isHttpUrl,
} from "./validation";
import { WEBHOOK_EVENT_TYPES } from "./webhooks";

export interface WebhookRegistration {
  url: string;
  description: string | null;
  eventTypes: string[];
  receiveAllEvents: boolean;
  /** Only the seed/control API may fix a secret; SIR always generates it. */
  secret: string | null;
}

export function parseWebhookRegistration(fields: Fields): Omit<WebhookRegistration, "secret"> {
  const url = requiredString(fields, "url", 2048);
  if (!isHttpUrl(url)) throw validationError("url must be an http(s) URL");
  const description = optionalString(fields, "description", 1000);
  const receiveAllEvents = optionalBoolean(fields, "receiveAllEvents", false);
  const eventTypes = fields.eventTypes ?? [];
  if (!Array.isArray(eventTypes) || eventTypes.some((type) => typeof type !== "string")) {
    throw validationError("eventTypes must be an array of strings");
  }
  const unknown = eventTypes.filter(
    (type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type as string),
  );
  if (unknown.length > 0) {
    throw validationError(
      `Unknown event types: ${unknown.join(", ")}; known: ${WEBHOOK_EVENT_TYPES.join(", ")}`,
    );
  }
  if (eventTypes.length === 0 && !receiveAllEvents) {
    throw validationError("Give at least one eventType or set receiveAllEvents: true");
  }
  return { url, description, eventTypes: eventTypes as string[], receiveAllEvents };
}

export function registerWebhook(
  state: SandboxState,
  partner: Partner,
  registration: WebhookRegistration,
  createdAt: string,
): Webhook {
  const webhook: Webhook = {
    id: newObjectId(),
    partnerId: partner.id,
    url: registration.url,
    description: registration.description,
    eventTypes: registration.eventTypes,
    receiveAllEvents: registration.receiveAllEvents,
    secret: registration.secret ?? newWebhookSecret(),
    isActive: true,
    deliveryIds: [],
    createdAt,
  };
  state.webhooks.set(webhook.id, webhook);
  partner.webhookIds.push(webhook.id);
  return webhook;
}

export function describeWebhook(webhook: Webhook) {
  const { id, url, description, eventTypes, receiveAllEvents, isActive, createdAt } = webhook;
  return { id, url, description, eventTypes, receiveAllEvents, isActive, createdAt };
}
