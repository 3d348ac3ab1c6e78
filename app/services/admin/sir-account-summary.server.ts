import type { Campaign, SirClient } from "../../sir";

export type CampaignSummary = { name: string; multiplier: string | null };
export type PoolSummary = {
  id: string;
  name: string | null;
  availableBalance: number;
  lowBalanceThreshold: number | null;
};
export type AccountSummary = { campaign: CampaignSummary | null; pool: PoolSummary | null };

/** A failed SIR call with the permission (scope) it needed, so the sentence can name it. */
export class SirCallError extends Error {
  constructor(
    readonly scope: string,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

export async function sirCall<T>(scope: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new SirCallError(scope, error);
  }
}

// ASSUMED field names (the sandbox's): SIR documents neither a campaign's
// multiplier nor a pool's low-balance threshold.
function multiplierOf(campaign: Campaign): string | null {
  const value = campaign.baseMultiplier;
  return typeof value === "number" || typeof value === "string" ? String(value) : null;
}

function thresholdOf(record: Record<string, unknown>): number | null {
  return typeof record.lowBalanceThreshold === "number" ? record.lowBalanceThreshold : null;
}

function summarizeCampaign(campaign: Campaign): CampaignSummary {
  return { name: campaign.name ?? "Unnamed campaign", multiplier: multiplierOf(campaign) };
}

/**
 * The active campaign and the balance of the pool it pays from (the first
 * pool when no campaign names one). Throws SirCallError.
 */
export async function readAccountSummary(client: SirClient): Promise<AccountSummary> {
  const campaign = await sirCall("campaigns:read", () => client.getActiveCampaign());
  const pools = await sirCall("pools:read", () => client.listTokenPools());
  const pool = pools.find((candidate) => candidate.id === campaign?.tokenPoolId) ?? pools[0];
  const campaignSummary = campaign ? summarizeCampaign(campaign) : null;
  if (!pool) return { campaign: campaignSummary, pool: null };
  const balance = await sirCall("pools:read", () => client.getTokenPoolBalance(pool.id));
  return {
    campaign: campaignSummary,
    pool: {
      id: pool.id,
      name: typeof pool.name === "string" ? pool.name : null,
      availableBalance: balance.availableBalance,
      lowBalanceThreshold: thresholdOf(balance) ?? thresholdOf(pool),
    },
  };
}
