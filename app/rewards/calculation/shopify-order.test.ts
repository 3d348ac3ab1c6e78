import { describe, expect, it } from "vitest";
import { loadShopifyFixture, shopifyFixture } from "../../../test/fixtures/shopify";
import { parseJsonLossless } from "./lossless-json";
import {
  PayloadError,
  extractOrderIdFromRefundJson,
  parseOrderPayload,
  parseRefundPayload,
} from "./shopify-order";

// Ids from the fixtures (all beyond 2^53 = 9007199254740992).
const USD_ORDER = "8817694701178518903";
const ADA = "8938371904392340610";
const TEE_LINE = "6962229001896737513";
const BAG_LINE = "7927795012342577089";
const TEE_PRODUCT = "8375614921927915692";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The fixture as a mutable object with large ids kept as exact strings. */
function fixtureObject(name: Parameters<typeof loadShopifyFixture>[0]): Json {
  return parseJsonLossless(loadShopifyFixture(name)) as Json;
}

describe("parseOrderPayload", () => {
  it("reads the USD order from raw text with every id exact", () => {
    const order = parseOrderPayload(loadShopifyFixture("orders-paid-usd"));
    expect(order).toMatchObject({
      id: USD_ORDER,
      name: "#1001",
      email: "ada.lovelace@example.com",
      shopCurrency: "USD",
      presentmentCurrency: "USD",
      test: false,
      sourceName: "web",
      taxesIncluded: false,
      cancelledAt: null,
      financialStatus: "paid",
      createdAt: "2026-11-03T10:21:45-05:00",
      customer: {
        id: ADA,
        email: "ada.lovelace@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
        tags: "newsletter, VIP",
      },
      totalPrice: { shopMinor: 11880n, presentmentMinor: 11880n },
      subtotalPrice: { shopMinor: 10000n, presentmentMinor: 10000n },
      totalTax: { shopMinor: 880n, presentmentMinor: 880n },
    });
    expect(order.lineItems).toEqual([
      {
        id: TEE_LINE,
        productId: TEE_PRODUCT,
        quantity: 3,
        price: { shopMinor: 1200n, presentmentMinor: 1200n },
        giftCard: false,
        discountAllocations: [{ shopMinor: 600n, presentmentMinor: 600n }],
        taxLines: [{ shopMinor: 240n, presentmentMinor: 240n }],
      },
      {
        id: BAG_LINE,
        productId: "5452153762370261437",
        quantity: 1,
        price: { shopMinor: 8400n, presentmentMinor: 8400n },
        giftCard: false,
        discountAllocations: [{ shopMinor: 1400n, presentmentMinor: 1400n }],
        taxLines: [{ shopMinor: 560n, presentmentMinor: 560n }],
      },
    ]);
    expect(order.shippingLines).toEqual([
      {
        price: { shopMinor: 1000n, presentmentMinor: 1000n },
        discountsIncluded: false,
        discountAllocations: [],
        taxLines: [{ shopMinor: 80n, presentmentMinor: 80n }],
      },
    ]);
  });

  it("takes ids from the gids when the body was already JSON.parsed (rounded numbers)", () => {
    const lossy = JSON.parse(loadShopifyFixture("orders-paid-usd"));
    expect(String(lossy.id)).not.toBe(USD_ORDER); // JSON.parse really rounded it
    const order = parseOrderPayload(lossy);
    expect(order.id).toBe(USD_ORDER);
    expect(order.customer?.id).toBe(ADA);
    expect(order.lineItems.map((line) => line.id)).toEqual([TEE_LINE, BAG_LINE]);
    // Documented limitation: REST line items have no product gid, so a rounded product_id is lost.
    expect(order.lineItems[0].productId).toBeNull();
  });

  it("keeps safe product ids from parsed JSON", () => {
    const raw = fixtureObject("orders-paid-usd");
    raw.line_items[0].product_id = 632910392;
    expect(parseOrderPayload(raw).lineItems[0].productId).toBe("632910392");
  });

  it("falls back to a safe numeric id without a gid, and refuses a rounded one", () => {
    const raw = fixtureObject("orders-paid-usd");
    delete raw.admin_graphql_api_id;
    raw.id = 450789469;
    expect(parseOrderPayload(raw).id).toBe("450789469");
    raw.id = 820982911946154500; // what JSON.parse makes of 820982911946154508
    expect(() => parseOrderPayload(raw)).toThrow(/beyond 2\^53.*raw body text/);
  });

  it("refuses a gid that disagrees with the numeric id or names another resource", () => {
    const raw = fixtureObject("orders-paid-usd");
    raw.id = "8817694701178518904";
    expect(() => parseOrderPayload(raw)).toThrow(/does not match/);
    const other = fixtureObject("orders-paid-usd");
    other.admin_graphql_api_id = `gid://shopify/Customer/${USD_ORDER}`;
    expect(() => parseOrderPayload(other)).toThrow(/gid:\/\/shopify\/Order/);
  });

  it("reads the guest order: no customer, shop money vs presentment money", () => {
    const order = parseOrderPayload(loadShopifyFixture("orders-paid-guest"));
    expect(order.customer).toBeNull();
    expect(order.email).toBe("Guest.Buyer@Example.com");
    expect(order.shopCurrency).toBe("USD");
    expect(order.presentmentCurrency).toBe("CAD");
    expect(order.lineItems[0].price).toEqual({ shopMinor: 1800n, presentmentMinor: 2430n });
    expect(order.totalPrice).toEqual({ shopMinor: 4100n, presentmentMinor: 5535n });
  });

  it("reads an empty email as no email", () => {
    const order = parseOrderPayload(loadShopifyFixture("orders-paid-no-customer"));
    expect(order.customer).toBeNull();
    expect(order.email).toBeNull();
  });

  it("falls back to contact_email", () => {
    const raw = fixtureObject("orders-paid-guest");
    raw.email = "";
    raw.contact_email = " other@example.com ";
    expect(parseOrderPayload(raw).email).toBe("other@example.com");
  });

  it("reads JPY amounts as whole yen", () => {
    const order = parseOrderPayload(loadShopifyFixture("orders-paid-jpy"));
    expect(order.shopCurrency).toBe("JPY");
    expect(order.taxesIncluded).toBe(true);
    expect(order.lineItems[0].price.shopMinor).toBe(3300n);
    expect(order.totalPrice.shopMinor).toBe(12540n);
  });

  it("reads POS, test, gift card and cancellation flags", () => {
    expect(parseOrderPayload(loadShopifyFixture("orders-paid-pos")).sourceName).toBe("pos");
    expect(parseOrderPayload(loadShopifyFixture("orders-paid-test")).test).toBe(true);
    expect(
      parseOrderPayload(loadShopifyFixture("orders-paid-gift-card")).lineItems.map(
        (l) => l.giftCard,
      ),
    ).toEqual([true, false]);
    const cancelled = parseOrderPayload(loadShopifyFixture("orders-cancelled-usd"));
    expect(cancelled.id).toBe(USD_ORDER);
    expect(cancelled.cancelledAt).toBe("2026-11-07T09:00:41-05:00");
    expect(cancelled.financialStatus).toBe("refunded");
  });

  it("uses discounted_price_set for shipping when price_set is missing", () => {
    const raw = fixtureObject("orders-paid-usd");
    delete raw.shipping_lines[0].price_set;
    raw.shipping_lines[0].discounted_price_set.shop_money.amount = "7.50";
    expect(parseOrderPayload(raw).shippingLines[0]).toMatchObject({
      price: { shopMinor: 750n },
      discountsIncluded: true,
    });
  });

  describe("rejects malformed payloads with the path of the problem", () => {
    const cases: [string, (raw: Json) => void, RegExp][] = [
      [
        "a float amount",
        (r) => (r.line_items[0].price_set.shop_money.amount = 12),
        /line_items\[0\]\.price_set\.shop_money\.amount: expected text/,
      ],
      [
        "too many decimals",
        (r) => (r.total_tax_set.shop_money.amount = "8.805"),
        /total_tax_set\.shop_money\.amount: .*more decimal places than USD/,
      ],
      [
        "a different shop currency",
        (r) => (r.line_items[1].tax_lines[0].price_set.shop_money.currency_code = "EUR"),
        /line_items\[1\]\.tax_lines\[0\]\.price_set\.shop_money\.currency_code: EUR differs from the payload's shop currency USD/,
      ],
      [
        "a bad currency code",
        (r) => (r.total_price_set.shop_money.currency_code = "usd"),
        /is not a currency code/,
      ],
      ["missing line_items", (r) => delete r.line_items, /line_items: expected an array/],
      [
        "a fractional quantity",
        (r) => (r.line_items[0].quantity = 1.5),
        /quantity: expected a whole quantity/,
      ],
      ["a text test flag", (r) => (r.test = "false"), /test: expected true or false/],
      ["a missing taxes_included", (r) => delete r.taxes_included, /taxes_included/],
      [
        "a customer without id",
        (r) => (r.customer = { email: "x@example.com" }),
        /customer: missing admin_graphql_api_id/,
      ],
      [
        "a product id that is text",
        (r) => (r.line_items[0].product_id = "abc"),
        /product_id: expected a numeric id/,
      ],
      ["a missing total", (r) => delete r.total_price_set, /total_price_set: expected an object/],
    ];
    it.each(cases)("%s", (_name, mutate, message) => {
      const raw = fixtureObject("orders-paid-usd");
      mutate(raw);
      const attempt = () => parseOrderPayload(raw);
      expect(attempt).toThrow(PayloadError);
      expect(attempt).toThrow(message);
    });

    it("not an object, not JSON", () => {
      expect(() => parseOrderPayload(null)).toThrow(PayloadError);
      expect(() => parseOrderPayload([])).toThrow(/order: expected an object, got an array/);
      expect(() => parseOrderPayload("{not json")).toThrow(/not valid JSON/);
    });
  });
});

describe("extractOrderIdFromRefundJson", () => {
  it("reads the top-level order_id exactly", () => {
    expect(extractOrderIdFromRefundJson(loadShopifyFixture("refunds-create-partial-30"))).toBe(
      USD_ORDER,
    );
  });

  it("ignores order_id keys nested in transactions and adjustments", () => {
    // Put a different order_id into the nested objects and move the top-level key last.
    const text = loadShopifyFixture("refunds-create-rest-70")
      .replaceAll(`"order_id": ${USD_ORDER}`, '"order_id": 1111')
      .replace(/\n}\s*$/, `,\n  "order_id": ${USD_ORDER}\n}\n`)
      .replace('"order_id": 1111,', "");
    expect(text).toContain('"order_id": 1111');
    expect(extractOrderIdFromRefundJson(text)).toBe(USD_ORDER);
  });

  it("throws without a usable top-level order_id", () => {
    expect(() => extractOrderIdFromRefundJson('{"transactions":[{"order_id":5}]}')).toThrow(
      PayloadError,
    );
    expect(() => extractOrderIdFromRefundJson('{"order_id":-5}')).toThrow(PayloadError);
    expect(() => extractOrderIdFromRefundJson('{"order_id":null}')).toThrow(PayloadError);
  });
});

describe("parseRefundPayload", () => {
  it("reads the 30 % refund", () => {
    const refund = parseRefundPayload(loadShopifyFixture("refunds-create-partial-30"));
    expect(refund).toEqual({
      id: "7098541156326155948",
      orderId: USD_ORDER,
      shopCurrency: "USD",
      presentmentCurrency: "USD",
      refundLineItems: [
        {
          lineItemId: TEE_LINE,
          giftCard: false,
          quantity: 3,
          subtotal: { shopMinor: 3000n, presentmentMinor: 3000n },
          totalTax: { shopMinor: 240n, presentmentMinor: 240n },
        },
      ],
      transactions: [{ kind: "refund", status: "success", amountMinor: 3240n, currency: "USD" }],
      orderAdjustments: [],
      refundShippingLines: [],
    });
  });

  it("reads shipping refunds both ways, with Shopify's negative adjustment amounts", () => {
    const refund = parseRefundPayload(loadShopifyFixture("refunds-create-rest-70"));
    expect(refund.refundLineItems.map((line) => line.lineItemId)).toEqual([BAG_LINE]);
    expect(refund.orderAdjustments).toEqual([
      {
        kind: "shipping_refund",
        amount: { shopMinor: -1000n, presentmentMinor: -1000n },
        taxAmount: { shopMinor: -80n, presentmentMinor: -80n },
      },
    ]);
    expect(refund.refundShippingLines).toEqual([
      {
        subtotal: { shopMinor: 1000n, presentmentMinor: 1000n },
        tax: { shopMinor: 80n, presentmentMinor: 80n },
      },
    ]);
  });

  it("reads a transaction-only refund", () => {
    const refund = parseRefundPayload(loadShopifyFixture("refunds-create-no-line-items"));
    expect(refund.refundLineItems).toEqual([]);
    expect(refund.transactions).toEqual([
      { kind: "refund", status: "success", amountMinor: 1000n, currency: "USD" },
    ]);
  });

  it("refuses an already-parsed body whose order_id was rounded, and says what to do", () => {
    const lossy = JSON.parse(loadShopifyFixture("refunds-create-partial-30"));
    expect(() => parseRefundPayload(lossy)).toThrow(/beyond 2\^53.*raw body text/);
    // A lossless object (ids as exact strings) is fine.
    expect(parseRefundPayload(fixtureObject("refunds-create-partial-30")).orderId).toBe(USD_ORDER);
  });

  it("accepts a safe numeric order_id in parsed JSON", () => {
    const raw = fixtureObject("refunds-create-partial-30");
    raw.order_id = 450789469;
    expect(parseRefundPayload(raw).orderId).toBe("450789469");
  });

  describe("refund line item ids", () => {
    it("come from line_item.admin_graphql_api_id", () => {
      const raw = fixtureObject("refunds-create-partial-30");
      raw.refund_line_items[0].line_item_id = 1; // the gid wins, but both must agree
      expect(() => parseRefundPayload(raw)).toThrow(/line_item_id 1 does not match/);
    });

    it("fall back to line_item_id when it is a safe integer", () => {
      const raw = fixtureObject("refunds-create-partial-30");
      delete raw.refund_line_items[0].line_item;
      raw.refund_line_items[0].line_item_id = 466157049;
      expect(parseRefundPayload(raw).refundLineItems[0].lineItemId).toBe("466157049");
    });

    it("refuse a rounded line_item_id without a gid", () => {
      const raw = JSON.parse(loadShopifyFixture("refunds-create-partial-30"));
      raw.order_id = 450789469;
      delete raw.refund_line_items[0].line_item;
      expect(() => parseRefundPayload(raw)).toThrow(/line_item_id: .*beyond 2\^53/);
    });
  });

  it("rejects malformed refunds", () => {
    const noAmount = fixtureObject("refunds-create-partial-30");
    delete noAmount.transactions[0].amount;
    expect(() => parseRefundPayload(noAmount)).toThrow(/transactions\[0\]\.amount: expected text/);
    const badCurrency = fixtureObject("refunds-create-partial-30");
    badCurrency.refund_line_items[0].total_tax_set.shop_money.currency_code = "CAD";
    expect(() => parseRefundPayload(badCurrency)).toThrow(
      /differs from the payload's shop currency/,
    );
    const badGid = fixtureObject("refunds-create-partial-30");
    badGid.admin_graphql_api_id = "gid://shopify/Order/1";
    expect(() => parseRefundPayload(badGid)).toThrow(/gid:\/\/shopify\/Refund/);
  });

  it("works on fixtures re-keyed with overrides", () => {
    const refund = parseRefundPayload(
      shopifyFixture("refunds-create-partial-30", { orderId: "9100000000000000001", idOffset: 7n }),
    );
    expect(refund.orderId).toBe("9100000000000000001");
    expect(refund.id).toBe((7098541156326155948n + 7n).toString());
    expect(refund.refundLineItems[0].lineItemId).toBe((6962229001896737513n + 7n).toString());
  });
});
