import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDay,
  messageValues,
  pluralCategory,
  SUPPORTED_LOCALES,
  translateFrom,
  unitWord,
  type LocaleDictionary,
} from "./i18n";
import { ACCOUNT_KEYS, COUNTED_KEYS, ESTIMATE_KEYS, ORDER_KEYS, PROFILE_KEYS } from "./messages";

const extensions = join(dirname(fileURLToPath(import.meta.url)), "..");
const SURFACES: Record<string, readonly string[]> = {
  "sir-order-reward": ORDER_KEYS,
  "sir-customer-account": ACCOUNT_KEYS,
  "sir-customer-profile": PROFILE_KEYS,
  "sir-checkout-estimate": ESTIMATE_KEYS,
};
const load = (ext: string, locale: string): LocaleDictionary =>
  JSON.parse(
    readFileSync(
      join(extensions, ext, "locales", locale === "en" ? "en.default.json" : `${locale}.json`),
      "utf8",
    ),
  );
const lookup = (dict: LocaleDictionary, key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as LocaleDictionary)?.[part], dict);
const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const unit = { one: "token", other: "tokens" };

describe("plural categories and numbers per locale (Intl)", () => {
  it("one/other/many as CLDR says", () => {
    expect(pluralCategory("en", 1)).toBe("one");
    expect(pluralCategory("en", 0)).toBe("other");
    expect(pluralCategory("fr", 0)).toBe("one");
    expect(pluralCategory("fr", 1_000_000)).toBe("many");
    expect(pluralCategory("es", 1_000_000)).toBe("many");
    expect(pluralCategory("de", 2)).toBe("other");
    expect(pluralCategory("pt-BR", 1)).toBe("one");
    expect(pluralCategory("", 1)).toBe("one");
  });

  it("counts written the locale's way", () => {
    expect(formatCount("en", 1234567)).toBe("1,234,567");
    expect(formatCount("de", 1234567)).toBe("1.234.567");
    expect(formatCount("fr", 1234567)).toBe("1\u202f234\u202f567");
    expect(formatCount("es", 12345)).toBe("12.345");
    expect(formatCount("en-US", 30)).toBe("30");
  });

  it("the unit word follows the locale's category", () => {
    expect(unitWord(unit, "en", 1)).toBe("token");
    expect(unitWord(unit, "en", 0)).toBe("tokens");
    expect(unitWord(unit, "fr", 0)).toBe("token");
    expect(messageValues(unit, "de", 1500)).toEqual({
      count: 1500,
      amount: "1.500",
      unit: "tokens",
    });
  });

  it("days", () => {
    expect(formatDay("en", "2026-12-01T10:00:00Z", "UTC")).toBe("Dec 1, 2026");
    expect(formatDay("de", "2026-12-01T10:00:00Z", "UTC")).toBe("1. Dez. 2026");
    expect(formatDay("en", "not a date")).toBe("");
  });
});

describe("locale files", () => {
  for (const [ext, keys] of Object.entries(SURFACES)) {
    for (const locale of SUPPORTED_LOCALES) {
      it(`${ext} ${locale}: every key, plural forms for the locale, the same placeholders as en`, () => {
        const dict = load(ext, locale);
        const en = load(ext, "en");
        for (const key of keys) {
          const node = lookup(dict, key);
          const enNode = lookup(en, key);
          if (COUNTED_KEYS.has(key)) {
            expect(typeof node, `${key}`).toBe("object");
            const forms = node as Record<string, string>;
            const needed = new Set(
              [0, 1, 2, 5, 21, 100, 1_000_000].map((n) => pluralCategory(locale, n)),
            );
            for (const category of needed)
              expect(forms[category], `${key}.${category}`).toBeTypeOf("string");
            for (const text of Object.values(forms)) {
              expect(placeholders(text), `${key}`).toEqual(["amount", "unit"]);
            }
          } else {
            expect(typeof node, `${key}`).toBe("string");
            expect(placeholders(node as string)).toEqual(placeholders(enNode as string));
          }
        }
      });
    }
  }

  it("the words the issue asks for, in English", () => {
    const order = load("sir-order-reward", "en");
    const say = (key: string, n: number) =>
      translateFrom(order, "en", key, messageValues(unit, "en", n));
    expect(say("order.estimated", 30)).toBe("You'll earn about 30 tokens for this order.");
    expect(say("order.earned", 1)).toBe("You earned 1 token for this order.");
    expect(say("order.reversed", 30)).toBe("30 tokens were taken back with your refund.");
    expect(say("order.reversed", 1)).toBe("1 token was taken back with your refund.");
    expect(say("order.owed", 12)).toMatch(/^You owe 12 tokens: they had already been spent/);
    expect(translateFrom(order, "en", "order.delayed")).toMatch(/on its way/);
    const estimate = load("sir-checkout-estimate", "en");
    expect(translateFrom(estimate, "en", "estimate.earn", messageValues(unit, "en", 1234))).toBe(
      "Earn ≈ 1,234 tokens with this order",
    );
    expect(translateFrom(estimate, "en", "estimate.note")).toMatch(/estimate/i);
  });

  it("plural forms chosen per locale", () => {
    const fr = load("sir-order-reward", "fr");
    const de = load("sir-order-reward", "de");
    const es = load("sir-order-reward", "es");
    const jetons = { one: "jeton", other: "jetons" };
    expect(translateFrom(fr, "fr", "order.reversed", messageValues(jetons, "fr", 1))).toBe(
      "1 jeton a été repris avec votre remboursement.",
    );
    expect(translateFrom(fr, "fr", "order.reversed", messageValues(jetons, "fr", 1_000_000))).toBe(
      "1\u202f000\u202f000 de jetons ont été repris avec votre remboursement.",
    );
    expect(translateFrom(de, "de", "order.reversed", messageValues(unit, "de", 1))).toBe(
      "1 token wurde mit deiner Erstattung zurückgebucht.",
    );
    expect(translateFrom(es, "es", "order.reversed", messageValues(unit, "es", 30))).toBe(
      "Se descontaron 30 tokens con tu reembolso.",
    );
  });

  it("translateFrom: missing keys come back as the key, unknown placeholders stay", () => {
    expect(translateFrom({}, "en", "a.b")).toBe("a.b");
    expect(translateFrom({ a: "x {{y}}" }, "en", "a")).toBe("x {{y}}");
    expect(translateFrom({ a: { other: "n={{count}}" } }, "en", "a", { count: 1 })).toBe("n=1");
  });
});
