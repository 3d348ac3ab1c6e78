import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDecimal, parseDecimal, roundHalfUp } from "./decimal";
import { parseJsonKeepingNumberText } from "./raw-json";
import { FULL_REVERSAL_HUNDREDTHS, tokensForAmount, tokensForReversal } from "./tokens";

describe("exact decimals", () => {
  it.each([
    ["49.99", 4999n, 2],
    ["49.990", 4999n, 2],
    ["1e2", 100n, 0],
    ["1.5E-2", 15n, 3],
    ["-0.5", -5n, 1],
    ["0", 0n, 0],
  ])("parses %s exactly", (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ units, scale });
  });

  it.each(["", "01", "1.", ".5", "1e", "NaN", "1e401", "0x10"])("refuses %j", (text) => {
    expect(parseDecimal(text)).toBeNull();
  });

  it.each([
    ["0.5", 1n],
    ["0.49", 0n],
    ["1.5", 2n],
    ["2.5", 3n],
    ["49.995", 50n],
    ["7", 7n],
  ])("rounds %s half up to %s", (text, expected) => {
    expect(roundHalfUp(parseDecimal(text)!)).toBe(expected);
  });

  it("formats decimals back to JSON number text", () => {
    expect(formatDecimal({ units: 2550n, scale: 2 })).toBe("25.50");
    expect(formatDecimal({ units: 5n, scale: 3 })).toBe("0.005");
    expect(formatDecimal({ units: 25n, scale: 0 })).toBe("25");
  });

  it("computes tokens from the decimal text, not a float", () => {
    expect(50 * 1.15).toBeLessThan(57.5);
    expect(tokensForAmount(parseDecimal("50")!, 1.15)).toBe(58n);
  });
});

describe("JSON parsing that keeps number text", () => {
  it("returns the same value as JSON.parse and the raw text of every number", () => {
    const text = '{"a":49.990,"b":[1e2,{"c":-0.10}],"d":"x\\"y","e":null,"__proto__":{"f":true}}';
    const parsed = parseJsonKeepingNumberText(text);
    expect(parsed.value).toEqual(JSON.parse(text));
    const value = parsed.value as { a: number; b: [number, { c: number }] };
    expect(parsed.numberText(value, "a")).toBe("49.990");
    expect(parsed.numberText(value.b, 0)).toBe("1e2");
    expect(parsed.numberText(value.b[1], "c")).toBe("-0.10");
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it.each([
    "",
    "{",
    '{"a":}',
    "[1,]",
    '{"a":1} x',
    "01",
    '"\u0001"',
    "[".repeat(100) + "]".repeat(100),
  ])("refuses invalid JSON %j", (text) => {
    expect(() => parseJsonKeepingNumberText(text)).toThrow(SyntaxError);
  });
});

describe("cumulative reversal rounding", () => {
  it("never reverses more than was distributed, and 100 % reverses exactly all of it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: FULL_REVERSAL_HUNDREDTHS }), {
          minLength: 1,
          maxLength: 12,
        }),
        (tokensDistributed, shares) => {
          let cumulativeHundredths = 0;
          let reversed = 0;
          for (const share of shares) {
            if (cumulativeHundredths + share > FULL_REVERSAL_HUNDREDTHS) break;
            cumulativeHundredths += share;
            const tokens = tokensForReversal({
              tokensDistributed,
              tokensAlreadyReversed: reversed,
              cumulativeHundredths,
            });
            expect(tokens).toBeGreaterThanOrEqual(0);
            reversed += tokens;
            expect(reversed).toBeLessThanOrEqual(tokensDistributed);
          }
          const rest = tokensForReversal({
            tokensDistributed,
            tokensAlreadyReversed: reversed,
            cumulativeHundredths: FULL_REVERSAL_HUNDREDTHS,
          });
          expect(reversed + rest).toBe(tokensDistributed);
        },
      ),
    );
  });
});
