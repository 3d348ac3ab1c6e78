/**
 * The merchant's earning rules: what a paid order's reward basis includes and which orders earn.
 * validateEarningRules turns untrusted input (a settings form or JSON) into EarningRules, or into
 * one merchant-readable sentence per bad field.
 */
import { isDecimalText, parseScaledDecimal } from "./decimal";

export type EarningRules = {
  includeShipping: boolean;
  includeTax: boolean;
  /** Decimal text in the shop currency ("25.00"), or null for no minimum. */
  minimumOrderAmount: string | null;
  rewardTestOrders: boolean;
  includePosOrders: boolean;
  /** Spelled as the merchant typed them (trimmed); compared case-insensitively via normalizeTag. */
  excludedCustomerTags: string[];
  excludedProductTags: string[];
};

/** Deeply frozen: copy it (`{ ...DEFAULT_EARNING_RULES, ... }`) rather than mutate it. */
export const DEFAULT_EARNING_RULES: Readonly<EarningRules> = Object.freeze({
  includeShipping: false,
  includeTax: false,
  minimumOrderAmount: null,
  rewardTestOrders: false,
  includePosOrders: true,
  excludedCustomerTags: Object.freeze([]) as unknown as string[],
  excludedProductTags: Object.freeze([]) as unknown as string[],
});

export const MAX_EXCLUDED_TAGS = 50;
/** Shopify's own limit for one tag. */
export const MAX_TAG_LENGTH = 255;
/** The minimum order amount may carry up to 4 decimals (the largest ISO 4217 exponent). */
const MINIMUM_AMOUNT_TEXT = /^\d{1,12}(?:\.\d{1,4})?$/;

export type EarningRulesErrors = Partial<Record<keyof EarningRules, string>>;

export type EarningRulesValidation =
  | { ok: true; rules: EarningRules }
  | { ok: false; errors: EarningRulesErrors };

/** How tags are compared everywhere: trimmed and lower-cased (Shopify tags ignore case). */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Splits a Shopify tag string ("VIP, wholesale") into normalized tags, dropping empty ones. */
export function splitTagString(tags: string | null | undefined): string[] {
  if (typeof tags !== "string") return [];
  return tags
    .split(",")
    .map(normalizeTag)
    .filter((tag) => tag !== "");
}

const BOOLEAN_LABELS = {
  includeShipping: "Include shipping",
  includeTax: "Include tax",
  rewardTestOrders: "Reward test orders",
  includePosOrders: "Reward POS orders",
} as const;

/**
 * Validates settings input. A missing (undefined) field takes its default. Booleans accept true
 * and false, and the form strings "true" and "false". The minimum accepts decimal text such as
 * "25" or "25.00" (surrounding spaces trimmed), or null / "" for none; JS numbers are refused so
 * no float ever carries money. Tags accept a string array or one comma-separated string; each tag
 * is trimmed, empty ones dropped, duplicates (ignoring case) dropped keeping the first spelling;
 * at most 50 tags of at most 255 characters each. Unknown fields are ignored.
 */
export function validateEarningRules(input: Record<string, unknown>): EarningRulesValidation {
  const errors: EarningRulesErrors = {};
  const rules: EarningRules = {
    ...DEFAULT_EARNING_RULES,
    excludedCustomerTags: [],
    excludedProductTags: [],
  };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError("validateEarningRules needs an object"); // a programming error, not input
  }

  for (const key of Object.keys(BOOLEAN_LABELS) as (keyof typeof BOOLEAN_LABELS)[]) {
    const value = input[key];
    if (value === undefined) continue;
    if (value === true || value === "true") rules[key] = true;
    else if (value === false || value === "false") rules[key] = false;
    else errors[key] = `${BOOLEAN_LABELS[key]} must be either on or off.`;
  }

  const minimum = readMinimum(input.minimumOrderAmount);
  if (minimum.ok) rules.minimumOrderAmount = minimum.value;
  else errors.minimumOrderAmount = minimum.error;

  const customerTags = readTags(input.excludedCustomerTags, "customer");
  if (customerTags.ok) rules.excludedCustomerTags = customerTags.value;
  else errors.excludedCustomerTags = customerTags.error;

  const productTags = readTags(input.excludedProductTags, "product");
  if (productTags.ok) rules.excludedProductTags = productTags.value;
  else errors.excludedProductTags = productTags.error;

  return Object.keys(errors).length === 0 ? { ok: true, rules } : { ok: false, errors };
}

type Read<T> = { ok: true; value: T } | { ok: false; error: string };

const MINIMUM_ERROR =
  "Minimum order amount must be a positive amount like 25.00, or empty for no minimum.";

function readMinimum(value: unknown): Read<string | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== "string") return { ok: false, error: MINIMUM_ERROR };
  const text = value.trim();
  if (text === "") return { ok: true, value: null };
  if (!MINIMUM_AMOUNT_TEXT.test(text) || !isDecimalText(text)) {
    return { ok: false, error: MINIMUM_ERROR };
  }
  // Exact at scale 4 because the pattern allows at most 4 decimals; "0.00" is not positive.
  if (parseScaledDecimal(text, 4) <= 0n) return { ok: false, error: MINIMUM_ERROR };
  return { ok: true, value: text };
}

function readTags(value: unknown, kind: "customer" | "product"): Read<string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  const listError = `Excluded ${kind} tags must be a list of tags separated by commas.`;
  const isList = Array.isArray(value) && value.every((tag) => typeof tag === "string");
  if (typeof value !== "string" && !isList) return { ok: false, error: listError };
  // Shopify tags cannot contain commas, so a comma always separates two tags.
  const pieces =
    typeof value === "string"
      ? value.split(",")
      : (value as string[]).flatMap((tag) => tag.split(","));

  const seen = new Set<string>();
  const tags: string[] = [];
  for (const piece of pieces) {
    const tag = piece.trim();
    if (tag === "") continue;
    if ([...tag].length > MAX_TAG_LENGTH) {
      const shown = [...tag].slice(0, 30).join("");
      return {
        ok: false,
        error: `The ${kind} tag "${shown}…" is too long: tags can have at most ${MAX_TAG_LENGTH} characters.`,
      };
    }
    const key = normalizeTag(tag);
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  if (tags.length > MAX_EXCLUDED_TAGS) {
    return {
      ok: false,
      error: `You can exclude at most ${MAX_EXCLUDED_TAGS} ${kind} tags (you entered ${tags.length}).`,
    };
  }
  return { ok: true, value: tags };
}
