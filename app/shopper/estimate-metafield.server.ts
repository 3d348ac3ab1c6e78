/**
 * Keeps the app-owned estimate metafield (ESTIMATE_METAFIELD, app/shopper/contract.ts) current:
 * the shop's earning rules, its currency's exponent from the one ISO 4217 table, and the
 * platform's rate and current multiplier (SIR: 1 token per major unit, the active campaign's
 * multiplier). Written with metafieldsSet on the app installation when the rules are saved, on
 * connect, and whenever the admin opens the settings and the value is older than an hour, so the
 * storefront block and the checkout estimate never make a network call of their own.
 */
import { ESTIMATE_METAFIELD, type EstimateSettings, type RewardUnit } from "./contract";
import { currencyExponent } from "../rewards/calculation/currency";
import { parseScaledDecimal } from "../rewards/calculation/decimal";
import type { EarningRules } from "../rewards/calculation/settings";
import { getEarningRules } from "../models/RewardSettings.server";
import { saveRewardMultiplier } from "../models/ProviderConnection.server";
import { db, type Database } from "../db.server";
import {
  REWARD_ESTIMATE_CONTEXT_QUERY,
  type RewardEstimateContextData,
} from "../graphql/RewardEstimateContextQuery";
import {
  SET_WIDGET_METAFIELDS_MUTATION,
  type MetafieldsSetInput,
  type SetWidgetMetafieldsData,
} from "../graphql/SetWidgetMetafieldsMutation";
import {
  AdminApiError,
  runAdminGraphql,
  type AdminGraphql,
} from "../services/admin/admin-graphql.server";
import { adminSirClient, storedCredentials } from "../services/admin/sir-admin-client.server";
import {
  SIR_REWARD_UNIT,
  SIR_UNITS_PER_MAJOR,
  campaignMultiplier,
} from "../sir/estimate-assumptions";
import { logger } from "../logger.server";

const log = logger.child({ component: "estimate-metafield" });

/** The platform's side of the estimate. */
export type PlatformRate = { unit: RewardUnit; unitsPerMajor: string; multiplier: string };

/** How often the value is refreshed while nothing else changes it (the campaign may). */
export const ESTIMATE_REFRESH_MS = 60 * 60 * 1000;

export function buildEstimateSettings(input: {
  rules: EarningRules;
  currency: string;
  rate: PlatformRate;
  now?: Date;
}): EstimateSettings {
  const exponent = currencyExponent(input.currency);
  const { rules, rate } = input;
  return {
    version: 1,
    unit: { one: rate.unit.one, other: rate.unit.other },
    currency: input.currency,
    exponent,
    unitsPerMajor: rate.unitsPerMajor,
    multiplier: rate.multiplier,
    includeShipping: rules.includeShipping,
    includeTax: rules.includeTax,
    // Rounding rule: ceil, as the pipeline compares the minimum (earning-basis.ts).
    minimumOrderMinor:
      rules.minimumOrderAmount === null
        ? null
        : parseScaledDecimal(rules.minimumOrderAmount, exponent, "ceil").toString(),
    excludedProductTags: [...rules.excludedProductTags],
    updatedAt: (input.now ?? new Date()).toISOString(),
  };
}

export function estimateMetafieldInput(
  ownerId: string,
  settings: EstimateSettings,
): MetafieldsSetInput {
  return {
    ownerId,
    namespace: ESTIMATE_METAFIELD.namespace,
    key: ESTIMATE_METAFIELD.key,
    type: "json",
    value: JSON.stringify(settings),
  };
}

/** SIR's rate for a connected shop: GET campaigns/active, none (or unreadable) → "1". */
export async function sirRateForShop(
  shopDomain: string,
  database: Database = db,
): Promise<PlatformRate> {
  const base = { unit: SIR_REWARD_UNIT, unitsPerMajor: SIR_UNITS_PER_MAJOR };
  const credentials = await storedCredentials(shopDomain, database);
  if (!credentials) return { ...base, multiplier: "1" };
  const campaign = await adminSirClient(credentials).getActiveCampaign();
  return { ...base, multiplier: campaignMultiplier(campaign) };
}

const lastWritten = new Map<string, number>();

/**
 * Builds and writes the shop's estimate settings; returns what was written. Throws
 * AdminApiError when Shopify refuses; a platform failure is thrown as is (the caller decides:
 * the settings page turns both into a warning, the value already stored stays).
 */
export async function refreshEstimateMetafield(
  shopDomain: string,
  graphql: AdminGraphql,
  options: {
    database?: Database;
    rate?: PlatformRate;
    rules?: EarningRules;
    now?: Date;
  } = {},
): Promise<EstimateSettings> {
  const database = options.database ?? db;
  const [rules, rate, context] = await Promise.all([
    options.rules ?? getEarningRules(shopDomain, database),
    options.rate ?? sirRateForShop(shopDomain, database),
    runAdminGraphql<RewardEstimateContextData>(graphql, REWARD_ESTIMATE_CONTEXT_QUERY),
  ]);
  // The shopper endpoints estimate unconfirmed orders at the same multiplier.
  await saveRewardMultiplier(shopDomain, rate.multiplier, database);
  const settings = buildEstimateSettings({
    rules,
    currency: context.shop.currencyCode,
    rate,
    now: options.now,
  });
  const { metafieldsSet } = await runAdminGraphql<SetWidgetMetafieldsData>(
    graphql,
    SET_WIDGET_METAFIELDS_MUTATION,
    { metafields: [estimateMetafieldInput(context.currentAppInstallation.id, settings)] },
  );
  if (metafieldsSet.userErrors.length > 0) {
    throw new AdminApiError(
      `Shopify did not save the shopper estimate: ${metafieldsSet.userErrors.map((e) => e.message).join("; ")}.`,
    );
  }
  lastWritten.set(shopDomain, (options.now ?? new Date()).getTime());
  return settings;
}

/**
 * Best effort: refreshes and returns null, or returns one merchant sentence. `ifOlderThanMs`
 * skips the write when this process wrote the shop's value more recently than that.
 */
export async function tryRefreshEstimateMetafield(
  shopDomain: string,
  graphql: AdminGraphql,
  options: Parameters<typeof refreshEstimateMetafield>[2] & { ifOlderThanMs?: number } = {},
): Promise<string | null> {
  const now = options.now ?? new Date();
  const last = lastWritten.get(shopDomain);
  if (
    options.ifOlderThanMs !== undefined &&
    last !== undefined &&
    now.getTime() - last < options.ifOlderThanMs
  ) {
    return null;
  }
  try {
    await refreshEstimateMetafield(shopDomain, graphql, { ...options, now });
    return null;
  } catch (error) {
    if (error instanceof Response) throw error;
    log.warn("estimate metafield not refreshed", {
      shop: shopDomain,
      error: error instanceof Error ? error.message : String(error),
    });
    return error instanceof AdminApiError
      ? error.message
      : "The shopper estimate could not be refreshed just now; the previous one stays until the next try.";
  }
}

/** For tests: forget when each shop was last written. */
export function resetEstimateRefreshClock(): void {
  lastWritten.clear();
}
