import { createSirClient, type SirClient } from "../../sir";
import { db, type Database } from "../../db.server";
import {
  decryptCredentials,
  findConnection,
  type ConnectionCredentials,
} from "../../models/ProviderConnection.server";
import { guardedFetch } from "../../net/provider-address.server";

export type SirKeys = Pick<
  ConnectionCredentials,
  "apiUrl" | "publicKey" | "secretKey" | "hmacSecret"
>;

// A merchant is waiting on the page: one attempt with a short timeout, so a
// slow or unreachable SIR becomes a sentence within seconds, not a hung page.
const ADMIN_PAGE_TIMEOUT_MS = 6_000;

export function adminSirClient(keys: SirKeys, fetchImpl?: typeof fetch): SirClient {
  return createSirClient({
    baseUrl: keys.apiUrl,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    hmacSecret: keys.hmacSecret,
    timeoutMs: ADMIN_PAGE_TIMEOUT_MS,
    retry: { maxAttempts: 1 },
    // Each request's address is checked first: a stored or typed address that
    // now resolves somewhere private is refused like an unreachable one.
    fetch: guardedFetch(fetchImpl),
  });
}

/** The shop's stored credentials, decrypted for a server-side call; null when not connected. */
export async function storedCredentials(
  shopDomain: string,
  database: Database = db,
): Promise<ConnectionCredentials | null> {
  const row = await findConnection(shopDomain, database);
  return row ? decryptCredentials(row) : null;
}
