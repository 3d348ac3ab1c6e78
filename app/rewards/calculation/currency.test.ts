import { describe, expect, it } from "vitest";
import iso4217 from "../../../data/iso-4217-minor-units.json";
import {
  MoneyError,
  currencyExponent,
  formatMinor,
  nonDefaultCurrencyExponents,
  parseMoney,
} from "./currency";

describe("currencyExponent", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["CAD", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["CLP", 0],
    ["ISK", 0],
    ["XOF", 0],
    ["VND", 0],
    ["UYI", 0],
    ["BHD", 3],
    ["KWD", 3],
    ["TND", 3],
    ["OMR", 3],
    ["CLF", 4],
    ["UYW", 4],
  ])("%s has %i decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it("covers every listed zero-, three- and four-decimal currency", () => {
    const zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ");
    const three = "BHD IQD JOD KWD LYD OMR TND".split(" ");
    expect(zero.map(currencyExponent)).toEqual(zero.map(() => 0));
    expect(three.map(currencyExponent)).toEqual(three.map(() => 3));
  });

  it.each([
    ["HUF", 2],
    ["COP", 2],
    ["IDR", 2],
    ["IQD", 3],
    ["PKR", 2],
  ])("%s has ISO 4217's %i decimals, not the 0 that Intl gives", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it("reads every exponent from the ISO 4217 table; 2 where it gives none or lacks the code", () => {
    const table = iso4217.minorUnits as Record<string, number | null>;
    expect(Object.keys(table).length).toBeGreaterThan(170);
    for (const [code, exponent] of Object.entries(table)) {
      expect(currencyExponent(code)).toBe(exponent ?? 2);
    }
    expect(currencyExponent("XAU")).toBe(2); // N.A. in ISO 4217
    expect(currencyExponent("HRK")).toBe(2); // withdrawn
    expect(currencyExponent("ABC")).toBe(2);
  });

  it("lists the codes whose exponent is not 2, for the storefront widget", () => {
    const exceptions = nonDefaultCurrencyExponents();
    expect(exceptions).toMatchObject({ JPY: 0, CLP: 0, KWD: 3, IQD: 3, CLF: 4 });
    expect(Object.values(exceptions)).not.toContain(2);
    expect(exceptions).not.toHaveProperty("HUF");
    expect(exceptions).not.toHaveProperty("XAU");
  });

  it.each(["usd", "US", "USDT", "", "U$D", " USD"])("throws on %j", (code) => {
    expect(() => currencyExponent(code)).toThrow(MoneyError);
  });
});

describe("parseMoney", () => {
  it.each([
    ["199.00", "USD", 19900n],
    ["0.01", "USD", 1n],
    ["-3.50", "USD", -350n],
    ["5000", "JPY", 5000n],
    ["5000.0", "JPY", 5000n],
    ["5000.00", "JPY", 5000n],
    ["12.345", "KWD", 12345n],
    ["12.3", "KWD", 12300n],
    ["1.2345", "CLF", 12345n],
    ["3", "EUR", 300n],
  ])("%s %s → %s", (amount, currency, minor) => {
    expect(parseMoney(amount, currency)).toBe(minor);
  });

  it("never rounds: a non-zero digit beyond the exponent throws", () => {
    expect(() => parseMoney("5000.5", "JPY")).toThrow(/more decimal places than JPY allows/);
    expect(() => parseMoney("12.345", "USD")).toThrow(MoneyError);
    expect(() => parseMoney("1.0001", "KWD")).toThrow(MoneyError);
  });

  it.each(["", "abc", "1e5", "1,00", ".50", "1.", " 1.00", "$1.00", "NaN", "Infinity"])(
    "rejects %j",
    (amount) => {
      expect(() => parseMoney(amount, "USD")).toThrow(MoneyError);
    },
  );

  it("rejects a bad currency before looking at the amount", () => {
    expect(() => parseMoney("1.00", "usd")).toThrow(/three-letter currency code/);
  });
});

describe("formatMinor", () => {
  it.each([
    [4999n, "USD", "49.99"],
    [5n, "USD", "0.05"],
    [0n, "USD", "0.00"],
    [-350n, "USD", "-3.50"],
    [5000n, "JPY", "5000"],
    [-5000n, "JPY", "-5000"],
    [12345n, "KWD", "12.345"],
    [1n, "BHD", "0.001"],
    [12345n, "CLF", "1.2345"],
  ])("%s %s → %s", (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
  });

  it("round-trips through parseMoney for 0-, 2-, 3- and 4-decimal currencies", () => {
    const cases: [string, bigint[]][] = [
      ["JPY", [0n, 1n, 999n, 12540n, -7n]],
      ["USD", [0n, 1n, 99n, 100n, 11880n, -350n, 900719925474099312n]],
      ["KWD", [0n, 1n, 1000n, 12345n, -1n]],
      ["CLF", [0n, 1n, 12345n]],
    ];
    for (const [currency, values] of cases) {
      for (const minor of values) {
        expect(parseMoney(formatMinor(minor, currency), currency)).toBe(minor);
      }
    }
    // and text → minor → text is the canonical spelling
    expect(formatMinor(parseMoney("5000.00", "JPY"), "JPY")).toBe("5000");
    expect(formatMinor(parseMoney("12.3", "KWD"), "KWD")).toBe("12.300");
  });

  it("refuses a float", () => {
    expect(() => formatMinor(49.99 as unknown as bigint, "USD")).toThrow(MoneyError);
  });
});
