import { randomUUID } from "node:crypto";
import { isSirError, type SirClient } from "../../sir";
import { adminSirClient, type SirKeys } from "./sir-admin-client.server";
import {
  readAccountSummary,
  sirCall,
  type CampaignSummary,
  type PoolSummary,
} from "./sir-account-summary.server";
import { clockWatchingFetch, sirFailureSentence } from "./sir-failure-sentence.server";
import { checkProviderAddress } from "../../net/provider-address.server";

export type ConnectionTestResult =
  | { ok: true; partnerName: string; campaign: CampaignSummary | null; pool: PoolSummary | null }
  | { ok: false; message: string };

// ASSUMED: SIR checks a key's scopes before it looks the action up (the
// sandbox does), so reversing an action that cannot exist answers 403
// without actions:reverse and 404 with it, and changes nothing either way.
const PROBE_ACTION_ID = "sir-rewards-permission-check";

async function probeReversalPermission(client: SirClient) {
  try {
    await client.reverseAction(PROBE_ACTION_ID, {
      reversalPercentage: "1",
      reason: "Permission check by SIR Rewards; no such action exists.",
      refundIdempotencyKey: `sir-rewards-permission-check-${randomUUID()}`,
    });
  } catch (error) {
    if (isSirError(error) && error.code === "VALIDATION") return;
    throw error;
  }
}

/**
 * Real signed calls with the given keys: the partner's name (publishable
 * key), the active campaign and pool balance (secret key and HMAC secret),
 * and the permission to reverse. Nothing is saved.
 */
export async function testConnection(keys: SirKeys): Promise<ConnectionTestResult> {
  // Nothing is sent to an address the server may not call (app/net/provider-address.server.ts).
  const address = await checkProviderAddress(keys.apiUrl);
  if (!address.ok) return { ok: false, message: address.message };
  const clock = clockWatchingFetch();
  const client = adminSirClient(keys, clock.fetch);
  const fail = (error: unknown, keyKind: "publishable" | "secret"): ConnectionTestResult => ({
    ok: false,
    message: sirFailureSentence(error, {
      apiUrl: keys.apiUrl,
      keyKind,
      clockSkewMs: clock.skewMs(),
    }),
  });

  let partnerName: string;
  try {
    partnerName = (await client.getPartnerConfig()).name;
  } catch (error) {
    return fail(error, "publishable");
  }
  try {
    const summary = await readAccountSummary(client);
    await sirCall("actions:reverse", () => probeReversalPermission(client));
    return { ok: true, partnerName, ...summary };
  } catch (error) {
    return fail(error, "secret");
  }
}
