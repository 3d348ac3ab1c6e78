/**
 * The whole calculation on the fixtures, the way the app chains it: earn on orders/paid, then
 * one reversal per refunds/create, and the remainder on orders/cancelled.
 */
import { describe, expect, it } from "vitest";
import { loadShopifyFixture, shopifyFixture } from "../../../test/fixtures/shopify";
import { formatMinor } from "./currency";
import { computeEarningBasis } from "./earning-basis";
import { computeRefundBasis } from "./refund-basis";
import { nextReversal, parsePercentHundredths, remainderReversal } from "./reversal-percentage";
import { DEFAULT_EARNING_RULES, type EarningRules } from "./settings";
import { parseOrderPayload, parseRefundPayload } from "./shopify-order";

function run(
  refundTexts: string[],
  rules: EarningRules = DEFAULT_EARNING_RULES,
  orderText?: string,
) {
  const order = parseOrderPayload(orderText ?? loadShopifyFixture("orders-paid-usd"));
  const earned = computeEarningBasis(order, rules);
  if (!earned.eligible) throw new Error(earned.reason);
  let reversedBasis = 0n;
  let sentPercent = "0.00";
  const percents: (string | null)[] = [];
  for (const text of refundTexts) {
    const refund = parseRefundPayload(text);
    const { refundedBasisMinor } = computeRefundBasis(order, refund, rules, earned);
    const next = nextReversal({
      earnedBasisMinor: earned.basisMinor,
      alreadyReversedBasisMinor: reversedBasis,
      alreadySentPercent: sentPercent,
      refundedBasisMinor,
    });
    reversedBasis = next.cumulativeBasisMinor;
    sentPercent = next.cumulativePercent;
    percents.push(next.percent);
  }
  return { order, earned, percents, sentPercent };
}

describe("USD #1001 through its refunds", () => {
  it("earns on 100.00 USD, then reverses 30.00 % and 70.00 %: exactly 100.00 in total", () => {
    const { earned, percents, sentPercent } = run([
      loadShopifyFixture("refunds-create-partial-30"),
      loadShopifyFixture("refunds-create-rest-70"),
    ]);
    expect(formatMinor(earned.basisMinor, earned.currency)).toBe("100.00");
    expect(percents).toEqual(["30.00", "70.00"]);
    expect(sentPercent).toBe("100.00");
  });

  it("with tax and shipping earning (118.80): 32.40 → 27.27 %, then the remaining 72.73 %", () => {
    // 32.40 / 118.80 = 27.2727… % → 27.27; then 118.80 cumulative → 100.00
    const { percents, sentPercent } = run(
      [
        loadShopifyFixture("refunds-create-partial-30"),
        loadShopifyFixture("refunds-create-rest-70"),
      ],
      { ...DEFAULT_EARNING_RULES, includeShipping: true, includeTax: true },
    );
    expect(percents).toEqual(["27.27", "72.73"]);
    expect(sentPercent).toBe("100.00");
  });

  it("a goodwill refund (9.26 of 100.00 → 9.26 %), then both returns: capped at 100.00", () => {
    // 926 / 10000 = 9.26 %; +3000 → 39.26 %; +7000 → capped at 10000 → 100.00
    const { percents, sentPercent } = run([
      loadShopifyFixture("refunds-create-no-line-items"),
      loadShopifyFixture("refunds-create-partial-30"),
      loadShopifyFixture("refunds-create-rest-70"),
    ]);
    expect(percents).toEqual(["9.26", "30.00", "60.74"]);
    expect(sentPercent).toBe("100.00");
  });

  it("cancelled after the 30 % refund: the cancellation reverses the remaining 70.00", () => {
    const { order, sentPercent } = run([loadShopifyFixture("refunds-create-partial-30")]);
    const cancelled = parseOrderPayload(loadShopifyFixture("orders-cancelled-usd"));
    expect(cancelled.id).toBe(order.id);
    expect(cancelled.cancelledAt).not.toBeNull();
    const remainder = remainderReversal(sentPercent);
    expect(remainder.percent).toBe("70.00");
    expect(parsePercentHundredths(sentPercent) + parsePercentHundredths(remainder.percent!)).toBe(
      10000n,
    );
  });

  it("works the same on re-keyed, scaled copies (per-test unique fixtures)", () => {
    const overrides = { idOffset: 4242n, amountFactor: 3 };
    const { earned, percents } = run(
      [
        shopifyFixture("refunds-create-partial-30", overrides),
        shopifyFixture("refunds-create-rest-70", overrides),
      ],
      DEFAULT_EARNING_RULES,
      shopifyFixture("orders-paid-usd", overrides),
    );
    expect(earned.basisMinor).toBe(30000n); // 3 × 100.00
    expect(earned.lines[0].lineItemId).toBe((6962229001896737513n + 4242n).toString());
    expect(percents).toEqual(["30.00", "70.00"]);
  });
});
