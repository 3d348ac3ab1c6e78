/**
 * Locale logic of the shopper surfaces, apart from rendering: plural categories and number
 * formatting through Intl for the shopper's locale, the unit's word, and `translateFrom`, which
 * reads our locale files the way Shopify's `i18n.translate` does (nested keys, a plural object
 * chosen by `count` with `other` as fallback, `{{name}}` replacements) so tests can render every
 * message in every locale.
 */
import type { RewardUnit } from "../../app/shopper/contract";

export const SUPPORTED_LOCALES = ["en", "fr", "es", "de"] as const;

const rulesCache = new Map<string, Intl.PluralRules>();
const numberCache = new Map<string, Intl.NumberFormat>();

/** A locale Intl knows ("fr-CA" stays, "xx" → "en"). */
function intlLocale(locale: string | undefined | null): string {
  const tag = (locale ?? "").trim();
  if (!tag) return "en";
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "en";
  } catch {
    return "en";
  }
}

/** CLDR plural category of a whole count in the locale ("one", "many", "other", …). */
export function pluralCategory(locale: string | undefined | null, count: number): string {
  const tag = intlLocale(locale);
  let rules = rulesCache.get(tag);
  if (!rules) {
    rules = new Intl.PluralRules(tag);
    rulesCache.set(tag, rules);
  }
  return rules.select(count);
}

/** A count as the locale writes it: 1,234 (en), 1 234 (fr), 1.234 (de, es ≥ 10,000). */
export function formatCount(locale: string | undefined | null, count: number): string {
  const tag = intlLocale(locale);
  let format = numberCache.get(tag);
  if (!format) {
    format = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    numberCache.set(tag, format);
  }
  return format.format(count);
}

/** The unit's word for a count: `one` when the locale's category is "one", else `other`. */
export function unitWord(
  unit: RewardUnit,
  locale: string | undefined | null,
  count: number,
): string {
  return pluralCategory(locale, count) === "one" ? unit.one : unit.other;
}

/** What every message is translated with: `count` selects the plural form, `amount` is shown. */
export type MessageValues = { count: number; amount: string; unit: string };

export function messageValues(
  unit: RewardUnit,
  locale: string | undefined | null,
  count: number,
): MessageValues {
  return { count, amount: formatCount(locale, count), unit: unitWord(unit, locale, count) };
}

export type LocaleDictionary = { [key: string]: string | LocaleDictionary };

/**
 * Shopify's `i18n.translate` over one locale file: `key` is dotted; a plural object is resolved
 * by the locale's category of `values.count` (falling back to `other`); `{{name}}` is replaced.
 * Returns the key itself when missing (as Shopify does).
 */
export function translateFrom(
  dictionary: LocaleDictionary,
  locale: string,
  key: string,
  values: Record<string, string | number> = {},
): string {
  let node: string | LocaleDictionary | undefined = dictionary;
  for (const part of key.split(".")) {
    node = typeof node === "object" ? node[part] : undefined;
  }
  if (typeof node === "object" && typeof values.count === "number") {
    node = node[pluralCategory(locale, values.count)] ?? node.other;
  }
  if (typeof node !== "string") return key;
  return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** An ISO 8601 date as the locale writes a day ("Dec 1, 2026", "1 déc. 2026"); "" if unreadable. */
export function formatDay(
  locale: string | undefined | null,
  iso: string,
  timeZone?: string,
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** A view's message in the surface's words: `translate` is the extension's `i18n.translate`. */
export function sayMessage(
  translate: (key: string, values?: MessageValues) => string,
  unit: RewardUnit,
  locale: string | undefined | null,
  message: { key: string; count?: number },
): string {
  return message.count === undefined
    ? translate(message.key)
    : translate(message.key, messageValues(unit, locale, message.count));
}
