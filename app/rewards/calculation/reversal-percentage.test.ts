import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ReversalError,
  WHOLE_PERCENT,
  formatPercentHundredths,
  hasFractionalPercent,
  nextReversal,
  parsePercentHundredths,
  remainderReversal,
  type Reversal,
} from "./reversal-percentage";

/** SIR's reversalPercentage: decimal, at most 2 decimals, in (0, 100]. */
const SIR_PERCENT = /^(0|[1-9]\d{0,2})(\.\d{1,2})?$/;

/** Applies refunds one by one, feeding each result into the next call like the app does. */
function applyRefunds(earnedBasisMinor: bigint, refunds: bigint[], step?: bigint): Reversal[] {
  let alreadyReversedBasisMinor = 0n;
  let alreadySentPercent = "0";
  return refunds.map((refundedBasisMinor) => {
    const reversal = nextReversal({
      earnedBasisMinor,
      alreadyReversedBasisMinor,
      alreadySentPercent,
      refundedBasisMinor,
      step,
    });
    alreadyReversedBasisMinor = reversal.cumulativeBasisMinor;
    alreadySentPercent = reversal.cumulativePercent;
    return reversal;
  });
}

const sent = (reversals: Reversal[]) => reversals.map((r) => r.percent);

describe("nextReversal", () => {
  it("30 % then 70 % of 100.00 → 30.00 + 70.00 = exactly 100.00", () => {
    expect(applyRefunds(10000n, [3000n, 7000n])).toEqual([
      { cumulativeBasisMinor: 3000n, percent: "30.00", cumulativePercent: "30.00" },
      { cumulativeBasisMinor: 10000n, percent: "70.00", cumulativePercent: "100.00" },
    ]);
  });

  it("three refunds of a third → 33.33, 33.33, 33.34", () => {
    // 10.00 of 30.00: 33.333… → 33.33; 20.00: 66.666… → 66.66 − 33.33 = 33.33; all: 100.00 − 66.66
    expect(applyRefunds(3000n, [1000n, 1000n, 1000n])).toEqual([
      { cumulativeBasisMinor: 1000n, percent: "33.33", cumulativePercent: "33.33" },
      { cumulativeBasisMinor: 2000n, percent: "33.33", cumulativePercent: "66.66" },
      { cumulativeBasisMinor: 3000n, percent: "33.34", cumulativePercent: "100.00" },
    ]);
  });

  it("floors: 27.27 % of 110.00 (30.00 refunded), then the remaining 72.73", () => {
    // 3000 / 11000 = 27.2727… % → 27.27
    expect(sent(applyRefunds(11000n, [3000n, 8000n]))).toEqual(["27.27", "72.73"]);
  });

  it("a refund under 0.01 % sends nothing and is carried into the next one", () => {
    // 0.99 of 10,000.00 = 0.0099 % → floors to 0.00: nothing to send, but the 99 cents are kept.
    const [tiny, next, last] = applyRefunds(1_000_000n, [99n, 1n, 99n]);
    expect(tiny).toEqual({ cumulativeBasisMinor: 99n, percent: null, cumulativePercent: "0.00" });
    // + 0.01 → 1.00 of 10,000.00 = 0.01 %: the carried 0.99 counts.
    expect(next).toEqual({
      cumulativeBasisMinor: 100n,
      percent: "0.01",
      cumulativePercent: "0.01",
    });
    // + 0.99 → 1.99 = 0.0199 % → still 0.01: nothing new
    expect(last).toEqual({ cumulativeBasisMinor: 199n, percent: null, cumulativePercent: "0.01" });
  });

  it("a refund beyond the basis is capped at what remains", () => {
    // 30.00 already reversed; a 90.00 refund on a 100.00 basis only has 70.00 left to take.
    expect(applyRefunds(10000n, [3000n, 9000n])).toEqual([
      { cumulativeBasisMinor: 3000n, percent: "30.00", cumulativePercent: "30.00" },
      { cumulativeBasisMinor: 10000n, percent: "70.00", cumulativePercent: "100.00" },
    ]);
    // and anything after 100 % sends nothing
    expect(
      nextReversal({
        earnedBasisMinor: 10000n,
        alreadyReversedBasisMinor: 10000n,
        alreadySentPercent: "100.00",
        refundedBasisMinor: 500n,
      }),
    ).toEqual({ cumulativeBasisMinor: 10000n, percent: null, cumulativePercent: "100.00" });
  });

  it("a single refund of everything is 100.00", () => {
    expect(sent(applyRefunds(1n, [1n]))).toEqual(["100.00"]);
    expect(sent(applyRefunds(333n, [999n]))).toEqual(["100.00"]);
  });

  it("just under everything floors below 100: 99.99 % of 1,000,000.00 less one cent", () => {
    expect(sent(applyRefunds(100_000_000n, [99_999_999n]))).toEqual(["99.99"]);
  });

  it("sends nothing after a cancellation already reversed 100 %", () => {
    expect(
      nextReversal({
        earnedBasisMinor: 10000n,
        alreadyReversedBasisMinor: 10000n,
        alreadySentPercent: "100.00",
        refundedBasisMinor: 7000n,
      }).percent,
    ).toBeNull();
  });

  it("keeps the sent total when more was sent than the floored total (never negative)", () => {
    // e.g. 70.00 was sent by another path while the basis bookkeeping says 50 %
    expect(
      nextReversal({
        earnedBasisMinor: 10000n,
        alreadyReversedBasisMinor: 4000n,
        alreadySentPercent: "70.00",
        refundedBasisMinor: 1000n,
      }),
    ).toEqual({ cumulativeBasisMinor: 5000n, percent: null, cumulativePercent: "70.00" });
  });

  it("validates its input", () => {
    const ok = {
      earnedBasisMinor: 100n,
      alreadyReversedBasisMinor: 0n,
      alreadySentPercent: "0",
      refundedBasisMinor: 1n,
    };
    expect(() => nextReversal({ ...ok, earnedBasisMinor: 0n })).toThrow(ReversalError);
    expect(() => nextReversal({ ...ok, refundedBasisMinor: -1n })).toThrow(ReversalError);
    expect(() => nextReversal({ ...ok, alreadyReversedBasisMinor: -1n })).toThrow(ReversalError);
    expect(() => nextReversal({ ...ok, alreadySentPercent: "33.333" })).toThrow(/2 decimal places/);
    expect(() => nextReversal({ ...ok, alreadySentPercent: "100.01" })).toThrow(/more than 100/);
    expect(() => nextReversal({ ...ok, alreadySentPercent: "-1" })).toThrow(ReversalError);
    expect(() => nextReversal({ ...ok, alreadySentPercent: "" })).toThrow(ReversalError);
  });

  it("property: sent percentages are valid for SIR, never exceed 100.00, and reach exactly 100.00", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 }),
        (earned, refunds) => {
          const reversals = applyRefunds(earned, refunds);
          let total = 0n;
          for (const reversal of reversals) {
            if (reversal.percent !== null) {
              expect(reversal.percent).toMatch(SIR_PERCENT);
              const hundredths = parsePercentHundredths(reversal.percent);
              expect(hundredths > 0n).toBe(true);
              total += hundredths;
            }
            expect(formatPercentHundredths(total)).toBe(reversal.cumulativePercent);
            // the sent total is the floor of the cumulative share (or exactly 100)
            const floor = (reversal.cumulativeBasisMinor * 10000n) / earned;
            expect(total).toBe(reversal.cumulativeBasisMinor === earned ? 10000n : floor);
          }
          expect(total <= 10000n).toBe(true);
          const refundedAll = refunds.reduce((a, b) => a + b, 0n) >= earned;
          expect(total === 10000n).toBe(refundedAll);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("remainderReversal (cancellation)", () => {
  it.each([
    ["30.00", "70.00"],
    ["0", "100.00"],
    ["0.00", "100.00"],
    ["33.33", "66.67"],
    ["99.99", "0.01"],
    ["66.6", "33.40"],
  ])("after %s sent → %s", (already, percent) => {
    expect(remainderReversal(already)).toEqual({ percent, cumulativePercent: "100.00" });
  });

  it("nothing when 100.00 was already sent", () => {
    expect(remainderReversal("100.00")).toEqual({ percent: null, cumulativePercent: "100.00" });
    expect(remainderReversal("100")).toEqual({ percent: null, cumulativePercent: "100.00" });
  });

  it("after a partial refund, the refund and the cancellation add up to exactly 100.00", () => {
    const [partial] = applyRefunds(3000n, [1000n]); // 33.33
    const remainder = remainderReversal(partial.cumulativePercent);
    expect(remainder.percent).toBe("66.67");
    expect(
      parsePercentHundredths(partial.percent!) + parsePercentHundredths(remainder.percent!),
    ).toBe(10000n);
  });

  it("validates its input", () => {
    expect(() => remainderReversal("101")).toThrow(ReversalError);
    expect(() => remainderReversal("abc")).toThrow(ReversalError);
  });
});

describe("percent text", () => {
  it("formats hundredths with exactly two decimals", () => {
    expect(formatPercentHundredths(3333n)).toBe("33.33");
    expect(formatPercentHundredths(1n)).toBe("0.01");
    expect(formatPercentHundredths(10000n)).toBe("100.00");
    expect(parsePercentHundredths("5")).toBe(500n);
    expect(parsePercentHundredths("12.5")).toBe(1250n);
  });
});

// For a SIR that takes only whole percentages (the docs' "1–100"): the same rule at 1 %.
describe("nextReversal in whole percentages", () => {
  const whole = (earned: bigint, refunds: bigint[]) => applyRefunds(earned, refunds, WHOLE_PERCENT);

  it("three thirds → 33 + 33 + 34 = exactly 100, sent as whole numbers", () => {
    expect(sent(whole(9999n, [3333n, 3333n, 3333n]))).toEqual(["33", "33", "34"]);
  });

  it("30 % then 70 % → 30 + 70", () => {
    expect(whole(10000n, [3000n, 7000n])).toEqual([
      { cumulativeBasisMinor: 3000n, percent: "30", cumulativePercent: "30.00" },
      { cumulativeBasisMinor: 10000n, percent: "70", cumulativePercent: "100.00" },
    ]);
  });

  it("carries what does not reach the next whole percent: 0.5 % + 0.5 % → nothing, then 1", () => {
    expect(whole(10000n, [50n, 50n])).toEqual([
      { cumulativeBasisMinor: 50n, percent: null, cumulativePercent: "0.00" },
      { cumulativeBasisMinor: 100n, percent: "1", cumulativePercent: "1.00" },
    ]);
    expect(sent(whole(10000n, [3333n, 3333n]))).toEqual(["33", "33"]);
  });

  it("never sends a fraction nor more than 100 in all, and all refunded is exactly 100", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 12 }),
        (earned, refunds) => {
          const reversals = whole(earned, [...refunds, earned]);
          const hundredths = reversals
            .map((reversal) => reversal.percent)
            .filter((percent) => percent !== null)
            .map((percent) => {
              expect(percent).toMatch(/^[1-9]\d?$|^100$/);
              expect(hasFractionalPercent(percent)).toBe(false);
              return parsePercentHundredths(percent);
            });
          expect(hundredths.reduce((sum, value) => sum + value, 0n)).toBe(10_000n);
        },
      ),
    );
  });

  it("a cancellation after whole reversals sends the whole remainder", () => {
    expect(remainderReversal("33.00", WHOLE_PERCENT)).toEqual({
      percent: "67",
      cumulativePercent: "100.00",
    });
  });
});
