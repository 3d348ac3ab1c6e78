// The SIR client of a connected shop, built from its stored (encrypted) credentials and kept
// until the connection's settings change (its updatedAt). Each caller names its call profile:
// the worker retries once quickly (its own durable retries do the rest), a shopper's page tries
// once. Every request's address is re-checked (a connection saved before the operator narrowed
// the allowed hosts is refused like an unreachable one).
import { createSirClient, type SirClient, type SirClientOptions } from "../../sir";
import { db, type Database } from "../../db.server";
import { decryptCredentials, findConnection } from "../../models/ProviderConnection.server";
import { guardedFetch } from "../../net/provider-address.server";
import { logger } from "../../logger.server";

export type SirCallProfile = Readonly<Pick<SirClientOptions, "timeoutMs" | "retry">>;

const log = logger.child({ component: "sir-client" });
const clients = new WeakMap<SirCallProfile, Map<string, { version: number; client: SirClient }>>();

/** null when the shop is not connected. */
export async function sirClientForShop(
  shopDomain: string,
  profile: SirCallProfile,
  database: Database = db,
): Promise<SirClient | null> {
  const row = await findConnection(shopDomain, database);
  if (!row) return null;
  const version = row.updatedAt.getTime();
  let cache = clients.get(profile);
  if (!cache) clients.set(profile, (cache = new Map()));
  const cached = cache.get(shopDomain);
  if (cached?.version === version) return cached.client;
  const credentials = decryptCredentials(row);
  const client = createSirClient({
    baseUrl: credentials.apiUrl,
    publicKey: credentials.publicKey,
    secretKey: credentials.secretKey,
    hmacSecret: credentials.hmacSecret,
    ...profile,
    fetch: guardedFetch(),
    logger: {
      debug: (fields, message) => log.debug(message, { shop: shopDomain, ...fields }),
      warn: (fields, message) => log.warn(message, { shop: shopDomain, ...fields }),
    },
  });
  cache.set(shopDomain, { version, client });
  return client;
}
