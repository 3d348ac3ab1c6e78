/**
 * What the shopper estimate assumes about SIR's token math (kept next to app/sir/assumptions.ts,
 * same rules: each entry says what we assume, why, and what happens IF WRONG). The estimate
 * function itself is neutral (app/shopper/estimate.ts); these values reach it through the
 * estimate metafield.
 */
import { isRecord } from "./assumptions";

/** SIR's reward unit, as a shopper reads it. */
export const SIR_REWARD_UNIT = { one: "token", other: "tokens" } as const;

/**
 * ASSUMED (SIR's docs give no rate): 1 token per major currency unit in any currency (49.99 USD
 * earns 50, 5000 JPY earns 5000, 12.5 KWD earns 13), times the active campaign's multiplier,
 * rounded half up to a whole token — what the SIR sandbox implements (test/sir-sandbox/tokens.ts).
 * IF WRONG: only the shopper's estimate is off (it says "≈" and "estimate"); the reward itself
 * is whatever SIR distributes, stored from its answer.
 */
export const SIR_UNITS_PER_MAJOR = "1";

/**
 * ASSUMED: the active campaign (GET partners/campaigns/active) carries its multiplier as
 * `baseMultiplier`, a JSON number (1.15) or decimal text ("1.15"). No campaign → "1".
 * IF WRONG (missing, negative, not a decimal): "1", the rate without a campaign, so the
 * estimate errs low rather than promising a bonus SIR may not pay.
 */
export const CAMPAIGN_MULTIPLIER_FIELD = "baseMultiplier";

export function campaignMultiplier(campaign: unknown): string {
  if (!isRecord(campaign)) return "1";
  const value = campaign[CAMPAIGN_MULTIPLIER_FIELD];
  // A JSON number prints back as the shortest text that reads as it (1.15 → "1.15").
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d{1,12}(?:\.\d{1,12})?$/.test(text)) return "1";
  return text;
}
