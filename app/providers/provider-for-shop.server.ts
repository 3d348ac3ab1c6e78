import type { SirClient } from "../sir";
import { db, type Database } from "../db.server";
import type { RewardsProvider } from "../rewards/provider.server";
import { createSirProvider } from "./sir/sir-provider.server";
import { sirClientForShop, type SirCallProfile } from "./sir/shop-client.server";
import { instrumentProvider } from "../metrics/provider-metrics.server";

// The worker has its own durable retries, so one quick in-call retry is
// enough; a long outage becomes a rescheduled job, not a stuck lane.
const WORKER_CALL: SirCallProfile = { retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 } };

const providers = new Map<string, { client: SirClient; provider: RewardsProvider }>();

export async function providerForShop(
  shopDomain: string,
  database: Database = db,
): Promise<RewardsProvider | null> {
  const client = await sirClientForShop(shopDomain, WORKER_CALL, database);
  if (!client) return null;
  // A new client means the connection changed: a new provider around it.
  const cached = providers.get(shopDomain);
  if (cached?.client === client) return cached.provider;
  const provider = instrumentProvider(createSirProvider(client));
  providers.set(shopDomain, { client, provider });
  return provider;
}
