import { describe, expect, it } from "vitest";
import { loadWidgetHelpers } from "./widget-helpers";

const { parseMinorUnits, amountError, checkDonation, errorKey, isEmail, minorDigits } =
  loadWidgetHelpers();

describe("parseMinorUnits", () => {
  it.each([
    ["19.99", 1999],
    ["19,99", 1999],
    ["19", 1900],
    ["19.9", 1990],
    [" 25 ", 2500],
    ["0.29", 29],
    ["1.15", 115],
    ["4.35", 435],
    ["100000", 10_000_000],
    ["0", 0],
  ])("reads %j as %i cents", (text, cents) => {
    expect(parseMinorUnits(text, 2)).toBe(cents);
  });

  it.each([
    "19.999",
    "-1",
    "abc",
    "",
    " ",
    "1e3",
    "19.",
    ".5",
    "1,000.00",
    "1.000,00",
    "+5",
    "0x10",
    "Infinity",
    "5 5",
  ])("rejects %j", (text) => {
    expect(parseMinorUnits(text, 2)).toBeNull();
  });

  it("never drifts like float arithmetic does, for every amount up to 2,000.00", () => {
    for (let cents = 0; cents <= 200_000; cents++) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
      if (parseMinorUnits(text, 2) !== cents)
        throw new Error(`${text} parsed as ${parseMinorUnits(text, 2)}`);
    }
  });

  it("follows the currency's minor unit", () => {
    expect(parseMinorUnits("500", 0)).toBe(500);
    expect(parseMinorUnits("500.5", 0)).toBeNull();
    expect(parseMinorUnits("1.234", 3)).toBe(1234);
    expect(parseMinorUnits("1.2", 3)).toBe(1200);
  });
});

describe("minorDigits", () => {
  it("counts in the ISO 4217 exponent the app wrote (data-digits), not Intl's", () => {
    expect(minorDigits({ digits: "2", locale: "en", currency: "HUF" })).toBe(2);
    expect(minorDigits({ digits: "3", locale: "en", currency: "IQD" })).toBe(3);
    expect(minorDigits({ digits: "0", locale: "en", currency: "JPY" })).toBe(0);
  });

  it("falls back on Intl only without it (settings saved before the app wrote the exponents)", () => {
    expect(minorDigits({ locale: "en", currency: "USD" })).toBe(2);
    expect(minorDigits({ locale: "en", currency: "JPY" })).toBe(0);
    expect(minorDigits({ locale: "en", currency: "HUF" })).toBe(0); // ISO 4217 says 2
  });
});

describe("amountError", () => {
  it("accepts 1.00 to 100,000.00", () => {
    expect(amountError(100, 2)).toBe("");
    expect(amountError(10_000_000, 2)).toBe("");
  });

  it("names what is wrong", () => {
    expect(amountError(null, 2)).toBe("amount_invalid");
    expect(amountError(0, 2)).toBe("amount_min");
    expect(amountError(99, 2)).toBe("amount_min");
    expect(amountError(10_000_001, 2)).toBe("amount_max");
  });

  it("scales the limits to the currency", () => {
    expect(amountError(1, 0)).toBe("");
    expect(amountError(100_001, 0)).toBe("amount_max");
  });
});

describe("checkDonation", () => {
  const valid = { amountText: "25", digits: 2, email: "", emailMode: "optional" };

  it("returns integer cents for a valid donation", () => {
    expect(checkDonation(valid)).toEqual({ minor: 2500 });
    expect(checkDonation({ ...valid, email: "jane@example.com" })).toEqual({ minor: 2500 });
  });

  it("asks for an amount first", () => {
    expect(checkDonation({ ...valid, amountText: "  " })).toEqual({
      error: "amount_missing",
      field: "amount",
    });
    expect(checkDonation({ ...valid, amountText: "0" })).toEqual({
      error: "amount_min",
      field: "amount",
    });
    expect(checkDonation({ ...valid, amountText: "19.999" })).toEqual({
      error: "amount_invalid",
      field: "amount",
    });
    expect(checkDonation({ ...valid, amountText: "100000.01" })).toEqual({
      error: "amount_max",
      field: "amount",
    });
  });

  it("requires an email only when the block says so, and checks any email given", () => {
    expect(checkDonation({ ...valid, emailMode: "required" })).toEqual({
      error: "email",
      field: "email",
    });
    expect(checkDonation({ ...valid, email: undefined, emailMode: "hidden" })).toEqual({
      minor: 2500,
    });
    expect(checkDonation({ ...valid, email: "jane@" })).toEqual({ error: "email", field: "email" });
    expect(checkDonation({ ...valid, email: "jane@example.com", emailMode: "required" })).toEqual({
      minor: 2500,
    });
  });

  it("recognises plausible email addresses", () => {
    expect(isEmail("a.b+c@shop.example.co.uk")).toBe(true);
    expect(isEmail("jane doe@example.com")).toBe(false);
    expect(isEmail("jane@example")).toBe(false);
  });
});

describe("errorKey", () => {
  it.each([
    [undefined, "network"],
    [500, "network"],
    [503, "network"],
    [400, "invalid"],
    [422, "invalid"],
    [401, "unavailable"],
    [403, "unavailable"],
    [404, "not_found"],
    [429, "busy"],
  ])("maps %s to %s", (status, key) => {
    expect(errorKey(status)).toBe(key);
  });
});
