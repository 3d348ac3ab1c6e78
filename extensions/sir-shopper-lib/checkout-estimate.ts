/**
 * Checkout's "Earn ≈ N tokens": the cart as the checkout API gives it (amounts as numbers in the
 * cart's currency) + the app-owned estimate metafield → the units, with the platform's rule from
 * app/shopper/estimate.ts (the same code the app and the theme block use). No network.
 *
 * What checkout can and cannot know: line totals (after line discounts), cart-level discounts,
 * shipping and tax totals. It cannot see product tags, so `excludedProductTags` cannot be applied
 * here: with exclusions configured the figure may be high, which is why it is said as "≈" with
 * the estimate note. A cart in another currency than the shop's (the settings' currency) gets no
 * estimate rather than a wrong one.
 */
import type { EstimateSettings } from "../../app/shopper/contract";
import {
  eligibleBasisMinor,
  estimateUnits,
  minorFromAmount,
  parseEstimateSettings,
  type EstimateLine,
} from "../../app/shopper/estimate";

export type CheckoutCart = {
  currency: string;
  /** Each line's total after its own discounts (CartLine.cost.totalAmount.amount). */
  lineTotals: readonly number[];
  /** Cart-level discounts (each discountAllocation's discountedAmount.amount), summed exactly. */
  cartDiscounts: readonly number[];
  shipping?: number;
  tax?: number;
};

export type MetafieldEntry = {
  target?: { type?: string };
  metafield: { namespace: string; key: string; value: string };
};

/** The estimate metafield among `appMetafields`: key `reward_estimate`, app-owned, on the shop. */
export function findEstimateSettings(
  entries: readonly MetafieldEntry[] | undefined,
  key: string,
): EstimateSettings | null {
  for (const entry of entries ?? []) {
    const { namespace } = entry.metafield;
    const appOwned = namespace === "$app" || namespace.startsWith("app--");
    if (entry.metafield.key === key && appOwned && (entry.target?.type ?? "shop") === "shop") {
      const settings = parseEstimateSettings(entry.metafield.value);
      if (settings) return settings;
    }
  }
  return null;
}

const ZERO = BigInt(0);

/** Split `total` over `weights` in proportion (largest remainder last), exact. */
function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, ZERO);
  if (total <= ZERO || sum <= ZERO) return weights.map(() => ZERO);
  const shares = weights.map((w) => (total * w) / sum);
  const given = shares.reduce((a, b) => a + b, ZERO);
  const last = shares.length - 1;
  shares[last] = shares[last] + (total - given);
  return shares;
}

/** Units the cart should earn, or null when there is nothing to say (no settings, other currency). */
export function checkoutEstimateUnits(
  cart: CheckoutCart,
  settings: EstimateSettings | null,
): number | null {
  if (!settings) return null;
  if (cart.currency.toUpperCase() !== settings.currency.toUpperCase()) return null;
  try {
    const exponent = settings.exponent;
    const totals = cart.lineTotals.map((amount) => {
      const minor = minorFromAmount(amount, exponent);
      return minor > ZERO ? minor : ZERO;
    });
    const cartDiscount = cart.cartDiscounts.reduce(
      (sum, amount) => sum + minorFromAmount(amount, exponent),
      ZERO,
    );
    const discounts = allocate(cartDiscount, totals);
    const taxes =
      cart.tax !== undefined ? allocate(minorFromAmount(cart.tax, exponent), totals) : null;
    const lines: EstimateLine[] = totals.map((total, i) => ({
      unitPriceMinor: total,
      quantity: 1,
      discountMinor: discounts[i],
      ...(taxes ? { taxMinor: taxes[i] } : {}),
    }));
    const basis = eligibleBasisMinor(lines, settings, {
      taxesIncluded: false,
      ...(cart.shipping !== undefined
        ? { shippingMinor: minorFromAmount(cart.shipping, exponent) }
        : {}),
    });
    const units = estimateUnits(basis, settings);
    return units > 0 ? units : null;
  } catch {
    return null;
  }
}
