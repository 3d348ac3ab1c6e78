import { describe, expect, it } from "vitest";
import {
  DecimalError,
  divFloor,
  divRoundHalfUp,
  formatScaled,
  isDecimalText,
  parseScaledDecimal,
} from "./decimal";

describe("parseScaledDecimal", () => {
  it("reads decimal text as whole units of 10^-scale", () => {
    expect(parseScaledDecimal("12.345", 3)).toBe(12345n);
    expect(parseScaledDecimal("12.3", 3)).toBe(12300n);
    expect(parseScaledDecimal("7", 2)).toBe(700n);
    expect(parseScaledDecimal("-3.50", 2)).toBe(-350n);
    expect(parseScaledDecimal("5000.000", 0)).toBe(5000n);
  });

  it("keeps digits far beyond 2^53 exact", () => {
    expect(parseScaledDecimal("90071992547409931.99", 2)).toBe(9007199254740993199n);
  });

  it("refuses to drop a non-zero digit in exact mode", () => {
    expect(() => parseScaledDecimal("1.005", 2)).toThrow(DecimalError);
    expect(() => parseScaledDecimal("0.5", 0)).toThrow(/more than 0 decimal places/);
  });

  it("rounds toward +infinity in ceil mode", () => {
    expect(parseScaledDecimal("25.001", 2, "ceil")).toBe(2501n);
    expect(parseScaledDecimal("25.5", 0, "ceil")).toBe(26n);
    expect(parseScaledDecimal("25.000", 0, "ceil")).toBe(25n);
    // -1.5 → ceil is -1
    expect(parseScaledDecimal("-1.5", 0, "ceil")).toBe(-1n);
  });

  it.each(["", "abc", "1e5", "1,00", ".5", "5.", " 1", "1 ", "+1", "0x10", "1.2.3", "--1"])(
    "rejects %j",
    (text) => {
      expect(isDecimalText(text)).toBe(false);
      expect(() => parseScaledDecimal(text, 2)).toThrow(DecimalError);
    },
  );

  it("rejects absurdly long text", () => {
    expect(() => parseScaledDecimal("1".repeat(41), 0)).toThrow(DecimalError);
  });
});

describe("formatScaled", () => {
  it("writes exactly `scale` decimals, padding small values", () => {
    expect(formatScaled(4999n, 2)).toBe("49.99");
    expect(formatScaled(5n, 2)).toBe("0.05");
    expect(formatScaled(0n, 2)).toBe("0.00");
    expect(formatScaled(5000n, 0)).toBe("5000");
    expect(formatScaled(-350n, 2)).toBe("-3.50");
    expect(formatScaled(-5n, 3)).toBe("-0.005");
  });
});

describe("integer division rules", () => {
  it("floor drops the remainder", () => {
    expect(divFloor(6666n, 100n)).toBe(66n);
    expect(divFloor(99n, 100n)).toBe(0n);
  });

  it("half-up rounds an exact half up and anything below it down", () => {
    expect(divRoundHalfUp(101n * 150n, 300n)).toBe(51n); // 50.5 → 51
    expect(divRoundHalfUp(149n, 100n)).toBe(1n); // 1.49 → 1
    expect(divRoundHalfUp(150n, 100n)).toBe(2n); // 1.50 → 2
    expect(divRoundHalfUp(10000n * 1000n, 10800n)).toBe(926n); // 925.93 → 926
  });

  it("refuses negative numerators and non-positive denominators", () => {
    expect(() => divFloor(-1n, 2n)).toThrow(RangeError);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});
