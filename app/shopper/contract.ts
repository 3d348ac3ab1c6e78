// What the app tells the shopper surfaces (the thank-you / order-status blocks, the customer
// account's profile block and page, the checkout and storefront estimates). Shared by the app's
// endpoints and by the UI extensions, which bundle this file: types and constants only, no
// imports, no platform names. Counts are in the shop's provider's unit (SIR: tokens); the unit's
// words come with every answer so no surface hard-codes "tokens".

/** The unit a platform rewards in, as a shopper reads it. */
export type RewardUnit = { one: string; other: string };

/**
 * One order's reward, as the shopper may see it.
 * - estimated: paid, not yet confirmed by the platform (pending, held, parked, retrying);
 *   `estimatedUnits` is what the order should earn.
 * - earned: the platform confirmed `awardedUnits`; `reversedUnits`/`owedUnits` say what refunds
 *   took back and what the shopper owes because they had already spent it.
 * - delayed: the platform is unreachable or the reward needs the merchant; the words are
 *   "your tokens are on their way", never an error.
 * - none: nothing to earn (skipped, not eligible) — or an order this customer cannot see, which
 *   gets exactly the same answer as a missing one.
 */
export type OrderRewardState = "estimated" | "earned" | "delayed" | "none";

export type OrderRewardAnswer = {
  state: OrderRewardState;
  unit: RewardUnit;
  estimatedUnits: number | null;
  awardedUnits: number | null;
  reversedUnits: number;
  owedUnits: number;
  /** Where the shopper sees their balance (the customer account page), if the shop has one. */
  balanceUrl: string | null;
};

export type AccountHistoryEntry = {
  orderName: string;
  /** ISO 8601. */
  date: string;
  awardedUnits: number | null;
  reversedUnits: number;
  state: OrderRewardState;
};

export type AccountAnswer = {
  unit: RewardUnit;
  /** null while the platform cannot be asked (outage): the surface says the figures are on their way. */
  balance: number | null;
  owedUnits: number | null;
  history: AccountHistoryEntry[];
};

/** GET, with `Authorization: Bearer <the extension's session token>`. */
export const SHOPPER_API = {
  /** `:orderId` is the numeric Shopify order id or its gid. */
  orderReward: "/api/shopper/orders/:orderId/reward",
  account: "/api/shopper/account",
} as const;

/**
 * The app-owned metafield the estimates read (checkout: `appMetafields`; theme block: Liquid
 * `app.metafields`), kept current by the app: no network call from checkout.
 */
export const ESTIMATE_METAFIELD = { namespace: "$app", key: "reward_estimate" } as const;

export type EstimateSettings = {
  version: 1;
  unit: RewardUnit;
  /** ISO 4217 code of the shop currency, and its minor-unit exponent (the app's one table). */
  currency: string;
  exponent: number;
  /** The platform's units per major currency unit, and its current multiplier (decimal strings). */
  unitsPerMajor: string;
  multiplier: string;
  includeShipping: boolean;
  includeTax: boolean;
  /** Minor units, or null. Below it the estimate is 0. */
  minimumOrderMinor: string | null;
  excludedProductTags: string[];
  /** ISO 8601: when the app last refreshed it. */
  updatedAt: string;
};
