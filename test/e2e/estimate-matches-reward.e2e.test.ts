/**
 * The estimate equals what the order then earns. For each cart: the app writes the estimate
 * metafield (Admin API intercepted, SIR's active campaign read from the sandbox), the shopper's
 * estimate is computed from that metafield with app/shopper/estimate.ts, then the same cart
 * becomes a signed orders/paid through the real app server, worker and SIR sandbox (campaign
 * ×1.15), and the tokens SIR distributed are compared with the estimate.
 *
 * A cart with an excluded product tag needs the product's tags from Shopify's Admin API, which
 * the app server process cannot reach here; that order is recorded in this process with the tags
 * given (createRewardForOrder, as the webhook path calls it) and the app server's worker sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SetupServerApi } from "msw/node";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { FakeAdminApi, interceptAdminApi } from "../admin/fake-admin-api";
import { saveEarningRules } from "../../app/models/RewardSettings.server";
import { DEFAULT_EARNING_RULES, type EarningRules } from "../../app/rewards/calculation/settings";
import { currencyExponent, formatMinor } from "../../app/rewards/calculation/currency";
import { ESTIMATE_METAFIELD } from "../../app/shopper/contract";
import { estimateForLines, parseEstimateSettings } from "../../app/shopper/estimate";
import { refreshEstimateMetafield } from "../../app/shopper/estimate-metafield.server";
import {
  createRewardForOrder,
  earningContext,
} from "../../app/rewards/ingest/record-paid-order.server";
import type { AdminGraphql } from "../../app/services/admin/admin-graphql.server";

type CartLine = {
  unitPriceMinor: bigint;
  quantity: number;
  productTags?: string[];
  discountMinor?: bigint;
};
type Cart = {
  name: string;
  currency: string;
  lines: CartLine[];
  rules?: Partial<EarningRules>;
  /** Worked out by hand, so estimate and reward cannot agree on a wrong figure. */
  units?: number;
};

let pipeline: Pipeline;
let msw: SetupServerApi;
const adminApi = new FakeAdminApi();

beforeAll(async () => {
  pipeline = await Pipeline.start();
  msw = interceptAdminApi(adminApi, [pipeline.sandbox.url, pipeline.app.url]);
});
afterAll(async () => {
  msw?.close();
  await pipeline?.stop();
});

const graphqlFor =
  (shop: string): AdminGraphql =>
  (query, options) =>
    fetch(`https://${shop}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_test" },
      body: JSON.stringify({ query, variables: options?.variables }),
    });

let nextId = 7_100_000_000;
const money = (minor: bigint, currency: string) => {
  const amount = formatMinor(minor, currency);
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
};

/** The cart as Shopify's orders/paid would carry it once paid (no tax, no shipping). */
function paidOrder(cart: Cart, shop: string) {
  const orderId = nextId++;
  const customerId = nextId++;
  const lineItems = cart.lines.map((line, index) => {
    const id = nextId++;
    const discount = line.discountMinor ?? 0n;
    return {
      id,
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      product_id: 8_000_000 + index,
      variant_id: 9_000_000 + index,
      title: `Product ${index + 1}`,
      quantity: line.quantity,
      price: formatMinor(line.unitPriceMinor, cart.currency),
      price_set: money(line.unitPriceMinor, cart.currency),
      gift_card: false,
      taxable: false,
      tax_lines: [],
      discount_allocations:
        discount > 0n
          ? [
              {
                amount: formatMinor(discount, cart.currency),
                amount_set: money(discount, cart.currency),
                discount_application_index: 0,
              },
            ]
          : [],
    };
  });
  const total = cart.lines.reduce(
    (sum, line) => sum + line.unitPriceMinor * BigInt(line.quantity) - (line.discountMinor ?? 0n),
    0n,
  );
  return {
    orderId: String(orderId),
    productIds: lineItems.map((line) => String(line.product_id)),
    body: JSON.stringify({
      id: orderId,
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      name: `#${orderId % 100000}`,
      email: `buyer-${orderId}@example.com`,
      contact_email: `buyer-${orderId}@example.com`,
      created_at: new Date().toISOString(),
      currency: cart.currency,
      presentment_currency: cart.currency,
      financial_status: "paid",
      source_name: "web",
      test: false,
      taxes_included: false,
      order_status_url: `https://${shop}/orders/${orderId}`,
      total_price_set: money(total, cart.currency),
      subtotal_price_set: money(total, cart.currency),
      total_tax_set: money(0n, cart.currency),
      customer: {
        id: customerId,
        admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
        email: `buyer-${orderId}@example.com`,
        first_name: "Estimate",
        last_name: "Tester",
        tags: "",
      },
      line_items: lineItems,
      shipping_lines: [],
    }),
  };
}

const settled = (shop: string, orderId: string) =>
  waitFor(
    async () => {
      const reward = await pipeline.reward(shop, orderId);
      return reward && reward.status !== "pending" ? reward : null;
    },
    { what: `reward for ${orderId}` },
  );

/** Connects a shop to a partner with a ×1.15 campaign, saves its rules, lets the app write the metafield. */
async function shopWithEstimate(cart: Cart) {
  const { shop, partner } = await pipeline.connectNewShop({ campaignMultiplier: 1.15 });
  adminApi.setShopCurrency(shop, cart.currency);
  await saveEarningRules(shop, { ...DEFAULT_EARNING_RULES, ...cart.rules }, pipeline.db);
  await refreshEstimateMetafield(shop, graphqlFor(shop), { database: pipeline.db });
  const stored =
    adminApi.metafields(shop)[`${ESTIMATE_METAFIELD.namespace}.${ESTIMATE_METAFIELD.key}`];
  const settings = parseEstimateSettings(stored?.value);
  if (!settings) throw new Error("the app wrote no estimate metafield");
  expect(settings).toMatchObject({ multiplier: "1.15", currency: cart.currency });
  expect(settings.exponent).toBe(currencyExponent(cart.currency));
  return { shop, partner, settings };
}

const CARTS: Cart[] = [
  {
    name: "USD, two lines, a discount: 84.98 × 1.15 = 97.727 → 98",
    units: 98,
    currency: "USD",
    lines: [
      { unitPriceMinor: 5000n, quantity: 1 },
      { unitPriceMinor: 1999n, quantity: 2, discountMinor: 500n },
    ],
  },
  {
    name: "USD, an exact half: 50.00 × 1.15 = 57.5 → 58",
    units: 58,
    currency: "USD",
    lines: [{ unitPriceMinor: 5000n, quantity: 1 }],
  },
  {
    name: "JPY (no decimals): 6270 × 1.15 = 7210.5 → 7211",
    units: 7211,
    currency: "JPY",
    lines: [{ unitPriceMinor: 3300n, quantity: 2, discountMinor: 330n }],
  },
  {
    name: "KWD (3 decimals): 19.000 × 1.15 = 21.85 → 22",
    units: 22,
    currency: "KWD",
    lines: [
      { unitPriceMinor: 12_500n, quantity: 1 },
      { unitPriceMinor: 3250n, quantity: 2 },
    ],
  },
];

describe("the estimate equals what the order then earns", () => {
  for (const cart of CARTS) {
    it(cart.name, async () => {
      const { shop, partner, settings } = await shopWithEstimate(cart);
      const estimate = estimateForLines(cart.lines, settings);
      expect(estimate).toBe(cart.units);

      const order = paidOrder(cart, shop);
      const response = await pipeline.deliver("orders/paid", shop, order.body);
      expect(response.status).toBe(200);
      const reward = await settled(shop, order.orderId);
      expect(reward.status).toBe("rewarded");
      expect(reward.tokensDistributed).toBe(estimate);
      const actions = await pipeline.actions(partner.partnerId);
      expect(actions.map((action) => action.tokensDistributed)).toEqual([estimate]);
    });
  }

  it("below the minimum: the estimate is 0 and the order earns nothing", async () => {
    const cart: Cart = {
      name: "below minimum",
      currency: "USD",
      lines: [{ unitPriceMinor: 2499n, quantity: 1 }],
      rules: { minimumOrderAmount: "25.00" },
    };
    const { shop, partner, settings } = await shopWithEstimate(cart);
    expect(estimateForLines(cart.lines, settings)).toBe(0);
    const order = paidOrder(cart, shop);
    expect((await pipeline.deliver("orders/paid", shop, order.body)).status).toBe(200);
    const reward = await settled(shop, order.orderId);
    expect(reward.status).toBe("skipped");
    expect(reward.tokensDistributed ?? 0).toBe(0);
    expect(await pipeline.actions(partner.partnerId)).toEqual([]);
  });

  it("an excluded product tag: that line earns nothing in the estimate and in the reward", async () => {
    const cart: Cart = {
      name: "excluded tag",
      currency: "USD",
      lines: [
        { unitPriceMinor: 5000n, quantity: 1, productTags: ["summer"] },
        { unitPriceMinor: 3000n, quantity: 1, productTags: ["No-Rewards"] },
      ],
      rules: { excludedProductTags: ["no-rewards"] },
    };
    const { shop, partner, settings } = await shopWithEstimate(cart);
    const estimate = estimateForLines(cart.lines, settings);
    expect(estimate).toBe(58);

    const order = paidOrder(cart, shop);
    const tags = new Map(
      order.productIds.map((id, index) => [id, cart.lines[index].productTags ?? []]),
    );
    const context = await earningContext(shop, pipeline.db);
    await createRewardForOrder(shop, JSON.parse(order.body), context, {
      productTags: { tagsFor: async () => tags },
      database: pipeline.db,
    });
    const reward = await settled(shop, order.orderId);
    expect(reward.status).toBe("rewarded");
    expect(reward.tokensDistributed).toBe(estimate);
    const actions = await pipeline.actions(partner.partnerId);
    expect(actions.map((action) => action.tokensDistributed)).toEqual([estimate]);
  });
});
