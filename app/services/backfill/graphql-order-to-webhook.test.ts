import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { graphqlOrderToWebhookShape } from "./graphql-order-to-webhook";
import { parseOrderPayload } from "../../rewards/calculation/shopify-order";
import { computeEarningBasis } from "../../rewards/calculation/earning-basis";
import { DEFAULT_EARNING_RULES } from "../../rewards/calculation/settings";
import { parseJsonLossless } from "../../rewards/calculation/lossless-json";
import { loadShopifyFixture } from "../../../test/fixtures/shopify";
import type { GraphqlOrder } from "../../graphql/PaidOrdersQuery";

const graphqlOrder = JSON.parse(
  readFileSync(
    join(import.meta.dirname, "../../../test/fixtures/shopify/graphql-order-usd.json"),
    "utf8",
  ),
) as GraphqlOrder;

describe("backfilled orders earn exactly like webhook orders", () => {
  it("gives the Admin API's order #1001 the same basis, customer and lines as its webhook", () => {
    const fromGraphql = parseOrderPayload(graphqlOrderToWebhookShape(graphqlOrder));
    const fromWebhook = parseOrderPayload(parseJsonLossless(loadShopifyFixture("orders-paid-usd")));
    const viaGraphql = computeEarningBasis(fromGraphql, DEFAULT_EARNING_RULES, {});
    const viaWebhook = computeEarningBasis(fromWebhook, DEFAULT_EARNING_RULES, {});
    expect(viaGraphql).toEqual(viaWebhook);
    expect(viaGraphql.eligible && viaGraphql.basisMinor).toBe(10_000n);
    expect(fromGraphql.id).toBe("8817694701178518903");
    expect(fromGraphql.lineItems.map((line) => line.productId)).toEqual(
      fromWebhook.lineItems.map((line) => line.productId),
    );
  });

  it("applies the shipping and tax toggles the same way", () => {
    const rules = { ...DEFAULT_EARNING_RULES, includeShipping: true, includeTax: true };
    const viaGraphql = computeEarningBasis(
      parseOrderPayload(graphqlOrderToWebhookShape(graphqlOrder)),
      rules,
      {},
    );
    // 100.00 + shipping 10.00 + tax 8.80 = the whole 118.80.
    expect(viaGraphql.eligible && viaGraphql.basisMinor).toBe(11_880n);
  });
});
