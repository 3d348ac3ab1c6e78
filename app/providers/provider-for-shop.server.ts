import { createSirClient } from "../sir";
import { db, type Database } from "../db.server";
import { decryptCredentials, findConnection } from "../models/ProviderConnection.server";
import type { RewardsProvider } from "../rewards/provider.server";
import { createSirProvider } from "./sir/sir-provider.server";
import { logger } from "../logger.server";
import { instrumentProvider } from "../metrics/provider-metrics.server";
import { guardedFetch } from "../net/provider-address.server";

const log = logger.child({ component: "sir-client" });

// The worker has its own durable retries, so one quick in-call retry is
// enough; a long outage becomes a rescheduled job, not a stuck lane.
const WORKER_RETRY = { maxAttempts: 2, maxRetryAfterMs: 2_000 };

const cache = new Map<string, { version: number; provider: RewardsProvider }>();

export async function providerForShop(
  shopDomain: string,
  database: Database = db,
): Promise<RewardsProvider | null> {
  const row = await findConnection(shopDomain, database);
  if (!row) return null;
  const version = row.updatedAt.getTime();
  const cached = cache.get(shopDomain);
  if (cached?.version === version) return cached.provider;
  const credentials = decryptCredentials(row);
  const client = createSirClient({
    baseUrl: credentials.apiUrl,
    publicKey: credentials.publicKey,
    secretKey: credentials.secretKey,
    hmacSecret: credentials.hmacSecret,
    retry: WORKER_RETRY,
    // A connection saved before the operator narrowed the allowed hosts is re-checked per call.
    fetch: guardedFetch(),
    logger: {
      debug: (fields, message) => log.debug(message, { shop: shopDomain, ...fields }),
      warn: (fields, message) => log.warn(message, { shop: shopDomain, ...fields }),
    },
  });
  const provider = instrumentProvider(createSirProvider(client));
  cache.set(shopDomain, { version, provider });
  return provider;
}
