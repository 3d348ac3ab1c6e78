/**
 * The shopper's estimate before buying ("Earn ≈ N tokens"), from the app-owned estimate
 * metafield (`EstimateSettings`, app/shopper/contract.ts). Shared by the storefront block's tests,
 * the checkout estimate extension (which bundles this file) and the app. Pure and neutral: no
 * imports but the contract's types, no platform names, no floats for money: amounts are bigint
 * counts of the currency's minor unit, the platform's rates are decimal text read exactly.
 *
 * Rounding rule (the platform's, carried by the settings; SIR: app/sir/assumptions.ts
 * SIR_UNITS_PER_MAJOR): units = round half up (basis in major units × unitsPerMajor ×
 * multiplier), computed exactly on integers, so 2.5 → 3 and 50 × 1.15 = 57.5 → 58 (a float
 * product would give 57.49999999999999 → 57).
 *
 * The eligible basis follows the pipeline's earning rules (app/rewards/calculation/
 * earning-basis.ts) as far as a cart can know them: gift cards and lines with an excluded product
 * tag earn nothing, discounts come off, tax counts only when `includeTax` (and comes out of the
 * price when prices include tax), shipping only when `includeShipping`, shipping alone never
 * earns, and a basis below the minimum earns 0.
 */
import type { EstimateSettings } from "./contract";

/** One cart or product line, in minor units of the settings' currency. */
export type EstimateLine = {
  /** The unit price the shopper pays before order-level discounts. */
  unitPriceMinor: bigint;
  quantity: number;
  productTags?: readonly string[];
  giftCard?: boolean;
  /** Discounts allocated to the whole line (all units), if known. */
  discountMinor?: bigint;
  /** The whole line's tax, if known. */
  taxMinor?: bigint;
};

export type EstimateBasisOptions = {
  /** Prices already contain their tax (Shopify's `taxes_included`). */
  taxesIncluded?: boolean;
  /** Shipping after its discounts, if known. */
  shippingMinor?: bigint;
  /** Shipping's tax, if known. */
  shippingTaxMinor?: bigint;
};

const DECIMAL = /^(\d{1,20})(?:\.(\d{1,20}))?$/;

/** Decimal text ("1.15") → [digits as bigint, scale]: "1.15" → [115n, 2]. Throws on anything else. */
function readRate(text: string, field: string): [bigint, number] {
  const match = typeof text === "string" ? DECIMAL.exec(text.trim()) : null;
  if (!match) throw new RangeError(`${field} "${String(text).slice(0, 30)}" is not a decimal`);
  const fraction = match[2] ?? "";
  return [BigInt(match[1] + fraction), fraction.length];
}

const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

/**
 * 10^n as a bigint, by multiplication: the UI extensions' bundler (the Shopify CLI's esbuild,
 * target es6) lowers `**` to Math.pow, which throws on bigints at run time.
 */
// Bigints by call, not as literals (0n): the CLI's es6 target warns on every literal.
const ZERO = BigInt(0);
const TWO = BigInt(2);

function powerOfTen(n: number): bigint {
  let result = BigInt(1);
  for (let i = 0; i < n; i++) result *= BigInt(10);
  return result;
}

/**
 * Units a basis earns: round half up of basisMinor / 10^exponent × unitsPerMajor × multiplier,
 * exact (see the module comment). 0 for a basis ≤ 0 or below `minimumOrderMinor`.
 */
export function estimateUnits(basisMinor: bigint, settings: EstimateSettings): number {
  if (typeof basisMinor !== "bigint") throw new TypeError("basisMinor must be a bigint");
  if (basisMinor <= ZERO) return 0;
  if (settings.minimumOrderMinor !== null && basisMinor < BigInt(settings.minimumOrderMinor)) {
    return 0;
  }
  if (!Number.isInteger(settings.exponent) || settings.exponent < 0 || settings.exponent > 10) {
    throw new RangeError(`bad currency exponent ${settings.exponent}`);
  }
  const [perMajor, perMajorScale] = readRate(settings.unitsPerMajor, "unitsPerMajor");
  const [multiplier, multiplierScale] = readRate(settings.multiplier, "multiplier");
  const numerator = basisMinor * perMajor * multiplier;
  const denominator = powerOfTen(settings.exponent + perMajorScale + multiplierScale);
  // Rounding rule: half up (both operands non-negative): floor((2n + d) / 2d).
  return Number((TWO * numerator + denominator) / (TWO * denominator));
}

/**
 * The eligible basis of a cart (or a product page's one line) under the settings' rules, in
 * minor units; 0n when nothing earns (only gift cards or excluded products; shipping alone never
 * earns) or the basis is below the minimum.
 */
export function eligibleBasisMinor(
  lines: readonly EstimateLine[],
  settings: EstimateSettings,
  options: EstimateBasisOptions = {},
): bigint {
  const excluded = new Set(settings.excludedProductTags.map(normalizeTag));
  let linesMinor = ZERO;
  for (const line of lines) {
    if (line.giftCard) continue;
    if ((line.productTags ?? []).some((tag) => excluded.has(normalizeTag(tag)))) continue;
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) continue;
    const tax = line.taxMinor ?? ZERO;
    let net =
      line.unitPriceMinor * BigInt(line.quantity) -
      (line.discountMinor ?? ZERO) -
      (options.taxesIncluded ? tax : ZERO);
    if (net < ZERO) net = ZERO;
    linesMinor += net + (settings.includeTax ? tax : ZERO);
  }
  if (linesMinor === ZERO) return ZERO;
  let shippingMinor = ZERO;
  if (settings.includeShipping && options.shippingMinor !== undefined) {
    const tax = options.shippingTaxMinor ?? ZERO;
    shippingMinor = options.shippingMinor - (options.taxesIncluded ? tax : ZERO);
    if (shippingMinor < ZERO) shippingMinor = ZERO;
    shippingMinor += settings.includeTax ? tax : ZERO;
  }
  const basis = linesMinor + shippingMinor;
  if (settings.minimumOrderMinor !== null && basis < BigInt(settings.minimumOrderMinor))
    return ZERO;
  return basis;
}

/** The estimate for some lines: estimateUnits(eligibleBasisMinor(lines, settings, options)). */
export function estimateForLines(
  lines: readonly EstimateLine[],
  settings: EstimateSettings,
  options: EstimateBasisOptions = {},
): number {
  return estimateUnits(eligibleBasisMinor(lines, settings, options), settings);
}

/**
 * An amount → minor units at `exponent`. Text ("19.99") is read exactly (more decimals than the
 * exponent allows throws). A number (the checkout API gives `amount: number`) goes through
 * `toFixed(exponent)`, which recovers the decimal the number stands for whenever it had at most
 * `exponent` decimals and is below 2^53 minor units — true of any real price.
 */
export function minorFromAmount(amount: string | number, exponent: number): bigint {
  const text = typeof amount === "number" ? amount.toFixed(exponent) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`"${text.slice(0, 30)}" is not an amount`);
  const fraction = match[3] ?? "";
  if (/[1-9]/.test(fraction.slice(exponent))) {
    throw new RangeError(`"${text}" has more than ${exponent} decimals`);
  }
  const value = BigInt(match[2] + fraction.slice(0, exponent).padEnd(exponent, "0"));
  return match[1] ? -value : value;
}

/**
 * The metafield's JSON value → EstimateSettings, or null when it is missing or not version 1 of
 * the contract (a surface then shows nothing rather than a wrong number).
 */
export function parseEstimateSettings(value: unknown): EstimateSettings | null {
  let data: unknown = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof data !== "object" || data === null) return null;
  const s = data as Record<string, unknown>;
  const unit = s.unit as Record<string, unknown> | null | undefined;
  const isDecimal = (v: unknown) => typeof v === "string" && DECIMAL.test(v);
  const ok =
    s.version === 1 &&
    typeof unit === "object" &&
    unit !== null &&
    typeof unit.one === "string" &&
    typeof unit.other === "string" &&
    typeof s.currency === "string" &&
    Number.isInteger(s.exponent) &&
    (s.exponent as number) >= 0 &&
    (s.exponent as number) <= 10 &&
    isDecimal(s.unitsPerMajor) &&
    isDecimal(s.multiplier) &&
    typeof s.includeShipping === "boolean" &&
    typeof s.includeTax === "boolean" &&
    (s.minimumOrderMinor === null ||
      (typeof s.minimumOrderMinor === "string" && /^\d{1,20}$/.test(s.minimumOrderMinor))) &&
    Array.isArray(s.excludedProductTags) &&
    s.excludedProductTags.every((t) => typeof t === "string") &&
    typeof s.updatedAt === "string";
  return ok ? (data as EstimateSettings) : null;
}
