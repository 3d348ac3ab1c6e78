import { createSirClient, isSirError, type SirErrorCode, type SirWebhookEventType } from "../sir";
import { db, type Database } from "../db.server";
import {
  SIR_BASE_URLS,
  findConnection,
  saveConnection,
  saveWebhookRegistration,
  type ConnectionInput,
} from "../models/ProviderConnection.server";
import { logger } from "../logger.server";
import {
  ProviderAddressError,
  assertProviderAddress,
  guardedFetch,
  isDocumentedHost,
} from "../net/provider-address.server";

const log = logger.child({ component: "connect-shop" });

// What the app listens for; see app/rewards/ingest/sir-events.server.ts.
export const SIR_WEBHOOK_EVENTS: SirWebhookEventType[] = [
  "action.completed",
  "action.failed",
  "action.reversed",
  "token_pool.low_balance",
  "token_pool.refilled",
];

const CONNECTION_FAILURES: Partial<Record<SirErrorCode, string>> = {
  UNAUTHORIZED:
    "SIR did not accept these credentials: check the secret key and HMAC secret, and that this server's clock is right.",
  INSUFFICIENT_SCOPE: "This key lacks a permission the app needs (it must be a secret sk_ key).",
  FORBIDDEN:
    "SIR refused this key (HTTP 403): check the secret key and HMAC secret, and that the key has the permissions the app needs.",
  NETWORK: "SIR could not be reached at that address.",
  TIMEOUT: "SIR did not answer in time.",
  SERVER: "SIR had an internal error; try again in a few minutes.",
};

export class ConnectionError extends Error {}

/**
 * A sentence for a failed SIR call. SIR's own words (from the response body)
 * are quoted only from a documented SIR host: an address the merchant chose
 * could be anything on the network, and its answers are never shown.
 */
export function connectionFailureMessage(error: unknown, apiUrl?: string | null): string {
  if (error instanceof ProviderAddressError) return error.message;
  if (isSirError(error)) {
    const known = CONNECTION_FAILURES[error.code];
    if (known) return known;
    if (apiUrl && isDocumentedHost(apiUrl)) return `SIR refused: ${error.message}`;
    return `SIR refused the request (${error.status ? `HTTP ${error.status}, ` : ""}${error.code}).`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function sirWebhookUrl(appUrl: string, shopDomain: string) {
  return `${appUrl.replace(/\/$/, "")}/webhooks/sir?shop=${encodeURIComponent(shopDomain)}`;
}

// Checks the credentials with a real signed call, stores them (encrypted),
// and registers the app's webhook with SIR, keeping the secret it returns.
export async function connectShop(
  input: ConnectionInput & { appUrl: string },
  database: Database = db,
) {
  const baseUrl = input.apiUrl || SIR_BASE_URLS[input.environment];
  // Before any request: an address the operator does not allow is refused with its sentence.
  try {
    await assertProviderAddress(baseUrl);
  } catch (error) {
    if (error instanceof ProviderAddressError) throw new ConnectionError(error.message);
    throw error;
  }
  const client = createSirClient({
    baseUrl,
    publicKey: input.publicKey,
    secretKey: input.secretKey,
    hmacSecret: input.hmacSecret,
    retry: { maxAttempts: 2 },
    fetch: guardedFetch(),
  });
  try {
    await client.listTokenPools();
  } catch (error) {
    throw new ConnectionError(connectionFailureMessage(error, baseUrl));
  }

  const previous = await findConnection(input.shopDomain, database);
  await saveConnection({ ...input, apiUrl: baseUrl }, database);
  if (previous?.webhookId) {
    await client.deleteWebhook(previous.webhookId).catch(() => undefined);
  }
  try {
    const webhook = await client.registerWebhook({
      url: sirWebhookUrl(input.appUrl, input.shopDomain),
      description: `SIR Rewards for ${input.shopDomain}`,
      eventTypes: SIR_WEBHOOK_EVENTS,
      receiveAllEvents: false,
    });
    await saveWebhookRegistration(input.shopDomain, webhook, database);
    return { webhookRegistered: true };
  } catch (error) {
    log.warn("SIR webhook registration failed", { shop: input.shopDomain, error });
    return { webhookRegistered: false, webhookError: connectionFailureMessage(error, baseUrl) };
  }
}
