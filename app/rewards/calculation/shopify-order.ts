/**
 * The parts of Shopify's REST webhook payloads (orders/paid, orders/cancelled, refunds/create;
 * API 2024-10 and later) that reward calculation reads, and defensive parsers that turn them into
 * typed objects with ids as exact decimal text and money as bigint minor units.
 *
 * Ids: payloads carry numeric ids that can exceed 2^53, which JSON.parse rounds. Every id is
 * therefore taken from an `admin_graphql_api_id` ("gid://shopify/Order/820982911946154508"), or
 * from the numeric field only when it is a safe integer or was read losslessly (pass the raw body
 * text: see parseJsonLossless). Money: always `*_set.shop_money` (the shop currency).
 */
import { MoneyError, currencyExponent, parseMoney } from "./currency";
import { parseJsonLossless, topLevelValueText } from "./lossless-json";

// ---------------------------------------------------------------------------------------------
// Raw payload shapes (only the fields we read; Shopify sends many more)
// ---------------------------------------------------------------------------------------------

export type ShopifyId = number | string;

export interface MoneyPayload {
  amount: string;
  currency_code: string;
}

export interface MoneySetPayload {
  shop_money: MoneyPayload;
  presentment_money: MoneyPayload;
}

export interface CustomerPayload {
  id?: ShopifyId;
  admin_graphql_api_id?: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  /** Comma-separated: "VIP, wholesale". */
  tags?: string | null;
}

export interface DiscountAllocationPayload {
  amount_set: MoneySetPayload;
}

export interface TaxLinePayload {
  price_set: MoneySetPayload;
}

export interface LineItemPayload {
  id?: ShopifyId;
  admin_graphql_api_id: string;
  product_id?: ShopifyId | null;
  quantity: number;
  price_set: MoneySetPayload;
  gift_card?: boolean;
  discount_allocations?: DiscountAllocationPayload[];
  tax_lines?: TaxLinePayload[];
}

export interface ShippingLinePayload {
  price_set?: MoneySetPayload;
  discounted_price_set?: MoneySetPayload;
  discount_allocations?: DiscountAllocationPayload[];
  tax_lines?: TaxLinePayload[];
}

/** orders/paid and orders/cancelled (both carry the whole order). */
export interface OrderPayload {
  id?: ShopifyId;
  admin_graphql_api_id: string;
  name?: string;
  email?: string | null;
  contact_email?: string | null;
  /** Informational only: the currencies are read from total_price_set. */
  currency?: string;
  test: boolean;
  source_name?: string | null;
  taxes_included: boolean;
  customer?: CustomerPayload | null;
  line_items: LineItemPayload[];
  shipping_lines?: ShippingLinePayload[];
  total_price_set: MoneySetPayload;
  subtotal_price_set: MoneySetPayload;
  total_tax_set: MoneySetPayload;
  created_at?: string | null;
  cancelled_at?: string | null;
  financial_status?: string | null;
}

export interface RefundLineItemPayload {
  line_item_id?: ShopifyId;
  line_item?: { admin_graphql_api_id?: string; gift_card?: boolean } | null;
  quantity: number;
  subtotal_set: MoneySetPayload;
  total_tax_set: MoneySetPayload;
}

export interface TransactionPayload {
  kind: string;
  status: string;
  amount: string;
  currency: string;
}

export interface OrderAdjustmentPayload {
  /** "shipping_refund" | "refund_discrepancy"; amounts are negative for money going back. */
  kind: string;
  amount_set: MoneySetPayload;
  tax_amount_set?: MoneySetPayload;
}

export interface RefundShippingLinePayload {
  subtotal_amount_set: MoneySetPayload;
  tax_amount_set?: MoneySetPayload;
}

/** refunds/create. */
export interface RefundPayload {
  id?: ShopifyId;
  admin_graphql_api_id: string;
  order_id: ShopifyId;
  refund_line_items?: RefundLineItemPayload[];
  transactions?: TransactionPayload[];
  order_adjustments?: OrderAdjustmentPayload[];
  refund_shipping_lines?: RefundShippingLinePayload[];
}

// ---------------------------------------------------------------------------------------------
// Parsed, typed shapes
// ---------------------------------------------------------------------------------------------

/** One amount in both currencies, in minor units of the owner's shop / presentment currency. */
export interface Money {
  shopMinor: bigint;
  presentmentMinor: bigint;
}

export interface ShopifyCustomer {
  /** Numeric Shopify customer id as decimal text. */
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** The raw comma-separated tag string ("" when none). */
  tags: string;
}

export interface ShopifyLineItem {
  id: string;
  /**
   * Null for custom items without a product, and when product_id was beyond 2^53 in an already
   * parsed payload (REST line items carry no product gid): such a line is never excluded by a
   * product tag. Parse the raw body text to keep large product ids exact.
   */
  productId: string | null;
  quantity: number;
  /** Unit price. */
  price: Money;
  giftCard: boolean;
  discountAllocations: Money[];
  taxLines: Money[];
}

export interface ShopifyShippingLine {
  /** price_set, or discounted_price_set when price_set is absent (discountsIncluded = true). */
  price: Money;
  discountsIncluded: boolean;
  discountAllocations: Money[];
  taxLines: Money[];
}

export interface ShopifyOrder {
  id: string;
  name: string;
  email: string | null;
  shopCurrency: string;
  presentmentCurrency: string;
  test: boolean;
  sourceName: string | null;
  taxesIncluded: boolean;
  customer: ShopifyCustomer | null;
  lineItems: ShopifyLineItem[];
  shippingLines: ShopifyShippingLine[];
  totalPrice: Money;
  subtotalPrice: Money;
  totalTax: Money;
  createdAt: string | null;
  cancelledAt: string | null;
  financialStatus: string | null;
}

export interface ShopifyRefundLineItem {
  lineItemId: string;
  giftCard: boolean;
  quantity: number;
  subtotal: Money;
  totalTax: Money;
}

export interface ShopifyTransaction {
  kind: string;
  status: string;
  /** Minor units of `currency` (the transaction's own currency). */
  amountMinor: bigint;
  currency: string;
}

export interface ShopifyOrderAdjustment {
  kind: string;
  /** As Shopify sends them: negative when money goes back to the customer. */
  amount: Money;
  taxAmount: Money;
}

export interface ShopifyRefundShippingLine {
  subtotal: Money;
  /** Null when the payload has no tax_amount_set for the line. */
  tax: Money | null;
}

export interface ShopifyRefund {
  id: string;
  orderId: string;
  /** Currencies of the refund's money sets; null when it has none (transactions only). */
  shopCurrency: string | null;
  presentmentCurrency: string | null;
  refundLineItems: ShopifyRefundLineItem[];
  transactions: ShopifyTransaction[];
  orderAdjustments: ShopifyOrderAdjustment[];
  refundShippingLines: ShopifyRefundShippingLine[];
}

// ---------------------------------------------------------------------------------------------
// Errors and readers
// ---------------------------------------------------------------------------------------------

export class PayloadError extends Error {
  /** Where in the payload the problem is: "line_items[1].price_set.shop_money.amount". */
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = "PayloadError";
    this.path = path;
  }
}

type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.slice(0, 40)}"`;
  return typeof value;
}

function objectAt(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PayloadError(path, `expected an object, got ${describe(value)}`);
  }
  return value as Json;
}

function arrayAt(value: unknown, path: string, optional = false): unknown[] {
  if (optional && (value === undefined || value === null)) return [];
  if (!Array.isArray(value)) {
    throw new PayloadError(path, `expected an array, got ${describe(value)}`);
  }
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== "string") {
    throw new PayloadError(path, `expected text, got ${describe(value)}`);
  }
  return value;
}

function optionalStringAt(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  return stringAt(value, path);
}

function booleanAt(value: unknown, path: string, fallback?: boolean): boolean {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new PayloadError(path, `expected true or false, got ${describe(value)}`);
  }
  return value;
}

function quantityAt(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new PayloadError(path, `expected a whole quantity, got ${describe(value)}`);
  }
  return value;
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/([1-9]\d{0,19})(?:\?.*)?$/;
const ID_TEXT = /^[1-9]\d{0,19}$/;

/** A numeric id field as exact text: a safe integer, or digits kept by parseJsonLossless. */
function numericIdText(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && ID_TEXT.test(value)) return value;
  return null;
}

/**
 * The id of a resource: the digits of its gid, else its numeric id when exact. When both are
 * present they must agree (compared as doubles, so a rounded large id still matches its gid).
 */
function resourceIdAt(
  gid: unknown,
  numeric: unknown,
  type: string,
  path: string,
  gidKey = "admin_graphql_api_id",
  numericKey = "id",
): string {
  if (gid !== undefined && gid !== null) {
    const match = GID.exec(stringAt(gid, `${path}.${gidKey}`));
    if (!match || match[1] !== type) {
      throw new PayloadError(`${path}.${gidKey}`, `expected a gid://shopify/${type}/<id>`);
    }
    const digits = match[2];
    if (typeof numeric === "number" && Number(digits) !== numeric) {
      throw new PayloadError(path, `${numericKey} ${numeric} does not match ${gidKey} ${digits}`);
    }
    if (typeof numeric === "string" && numeric !== digits) {
      throw new PayloadError(path, `${numericKey} ${numeric} does not match ${gidKey} ${digits}`);
    }
    return digits;
  }
  const exact = numericIdText(numeric);
  if (exact !== null) return exact;
  if (typeof numeric === "number") {
    throw new PayloadError(
      `${path}.${numericKey}`,
      `${numeric} is beyond 2^53 and was rounded by JSON.parse, and there is no ${gidKey}; ` +
        "parse the raw body text instead",
    );
  }
  throw new PayloadError(path, `missing ${gidKey}`);
}

interface Currencies {
  shop: string | null;
  presentment: string | null;
}

/** A money set; both currencies must match those already seen in the same payload. */
function moneyAt(value: unknown, path: string, currencies: Currencies): Money {
  const set = objectAt(value, path);
  const read = (side: "shop_money" | "presentment_money"): bigint => {
    const money = objectAt(set[side], `${path}.${side}`);
    const code = stringAt(money.currency_code, `${path}.${side}.currency_code`);
    try {
      currencyExponent(code);
    } catch {
      throw new PayloadError(`${path}.${side}.currency_code`, `"${code}" is not a currency code`);
    }
    const key = side === "shop_money" ? "shop" : "presentment";
    if (currencies[key] === null) currencies[key] = code;
    else if (currencies[key] !== code) {
      throw new PayloadError(
        `${path}.${side}.currency_code`,
        `${code} differs from the payload's ${key} currency ${currencies[key]}`,
      );
    }
    const amountPath = `${path}.${side}.amount`;
    // Amounts are text in Shopify payloads; a JSON number would already be a float.
    const amount = stringAt(money.amount, amountPath);
    try {
      return parseMoney(amount, code);
    } catch (error) {
      if (error instanceof MoneyError) throw new PayloadError(amountPath, error.message);
      throw error;
    }
  };
  return { shopMinor: read("shop_money"), presentmentMinor: read("presentment_money") };
}

/**
 * A line item's product id as exact text. A positive integer beyond 2^53 in already-parsed JSON
 * was rounded and cannot be recovered (REST line items have no product gid): it reads as null, a
 * documented limitation that parsing the raw body text avoids.
 */
function productIdAt(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  const exact = numericIdText(value);
  if (exact !== null) return exact;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return null;
  throw new PayloadError(path, `expected a numeric id, got ${describe(value)}`);
}

function optionalMoneyAt(value: unknown, path: string, currencies: Currencies): Money | null {
  return value === undefined || value === null ? null : moneyAt(value, path, currencies);
}

function allocationsAt(value: unknown, path: string, currencies: Currencies): Money[] {
  return arrayAt(value, path, true).map((entry, index) =>
    moneyAt(
      objectAt(entry, `${path}[${index}]`).amount_set,
      `${path}[${index}].amount_set`,
      currencies,
    ),
  );
}

function taxLinesAt(value: unknown, path: string, currencies: Currencies): Money[] {
  return arrayAt(value, path, true).map((entry, index) =>
    moneyAt(
      objectAt(entry, `${path}[${index}]`).price_set,
      `${path}[${index}].price_set`,
      currencies,
    ),
  );
}

/** Parses JSON text losslessly (large ids stay exact); objects pass through unchanged. */
function toJson(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return parseJsonLossless(raw);
  } catch {
    throw new PayloadError("", "the body is not valid JSON");
  }
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

/**
 * Validates an orders/paid or orders/cancelled payload. `raw` is the parsed JSON, or the raw body
 * text (preferred: numeric ids beyond 2^53, such as product_id, then stay exact).
 */
export function parseOrderPayload(raw: unknown): ShopifyOrder {
  const order = objectAt(toJson(raw), "order");
  const currencies: Currencies = { shop: null, presentment: null };
  // The shop currency is total_price_set.shop_money's: read it first so every other set must match.
  const totalPrice = moneyAt(order.total_price_set, "total_price_set", currencies);
  const id = resourceIdAt(order.admin_graphql_api_id, order.id, "Order", "order");

  const customerValue = order.customer;
  let customer: ShopifyCustomer | null = null;
  if (customerValue !== undefined && customerValue !== null) {
    const c = objectAt(customerValue, "customer");
    customer = {
      id: resourceIdAt(c.admin_graphql_api_id, c.id, "Customer", "customer"),
      email: optionalStringAt(c.email, "customer.email"),
      firstName: optionalStringAt(c.first_name, "customer.first_name"),
      lastName: optionalStringAt(c.last_name, "customer.last_name"),
      tags: optionalStringAt(c.tags, "customer.tags") ?? "",
    };
  }

  const lineItems = arrayAt(order.line_items, "line_items").map((value, index) => {
    const path = `line_items[${index}]`;
    const line = objectAt(value, path);
    return {
      id: resourceIdAt(line.admin_graphql_api_id, line.id, "LineItem", path),
      productId: productIdAt(line.product_id, `${path}.product_id`),
      quantity: quantityAt(line.quantity, `${path}.quantity`),
      price: moneyAt(line.price_set, `${path}.price_set`, currencies),
      giftCard: booleanAt(line.gift_card, `${path}.gift_card`, false),
      discountAllocations: allocationsAt(
        line.discount_allocations,
        `${path}.discount_allocations`,
        currencies,
      ),
      taxLines: taxLinesAt(line.tax_lines, `${path}.tax_lines`, currencies),
    } satisfies ShopifyLineItem;
  });

  const shippingLines = arrayAt(order.shipping_lines, "shipping_lines", true).map(
    (value, index) => {
      const path = `shipping_lines[${index}]`;
      const line = objectAt(value, path);
      const hasPrice = line.price_set !== undefined && line.price_set !== null;
      return {
        price: hasPrice
          ? moneyAt(line.price_set, `${path}.price_set`, currencies)
          : moneyAt(line.discounted_price_set, `${path}.discounted_price_set`, currencies),
        discountsIncluded: !hasPrice,
        discountAllocations: allocationsAt(
          line.discount_allocations,
          `${path}.discount_allocations`,
          currencies,
        ),
        taxLines: taxLinesAt(line.tax_lines, `${path}.tax_lines`, currencies),
      } satisfies ShopifyShippingLine;
    },
  );

  const email =
    nonEmpty(optionalStringAt(order.email, "email")) ??
    nonEmpty(optionalStringAt(order.contact_email, "contact_email"));

  return {
    id,
    name: optionalStringAt(order.name, "name") ?? "",
    email,
    shopCurrency: currencies.shop as string,
    presentmentCurrency: currencies.presentment as string,
    test: booleanAt(order.test, "test"),
    sourceName: optionalStringAt(order.source_name, "source_name"),
    taxesIncluded: booleanAt(order.taxes_included, "taxes_included"),
    customer,
    lineItems,
    shippingLines,
    totalPrice,
    subtotalPrice: moneyAt(order.subtotal_price_set, "subtotal_price_set", currencies),
    totalTax: moneyAt(order.total_tax_set, "total_tax_set", currencies),
    createdAt: optionalStringAt(order.created_at, "created_at"),
    cancelledAt: optionalStringAt(order.cancelled_at, "cancelled_at"),
    financialStatus: optionalStringAt(order.financial_status, "financial_status"),
  };
}

function nonEmpty(text: string | null): string | null {
  return text === null || text.trim() === "" ? null : text.trim();
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

/**
 * The refund's `order_id` read losslessly from the raw refunds/create body text: the value of
 * the `order_id` key of the TOP-LEVEL object, found by a scanner that tracks strings and nesting
 * (so the `order_id` inside transactions[] or order_adjustments[] is never taken), then checked
 * to be a positive integer (or a string of digits). Limitation: a key written with escape
 * sequences ("order\u005fid") is not recognised; Shopify writes plain keys. Throws PayloadError
 * when there is no usable top-level order_id.
 */
export function extractOrderIdFromRefundJson(rawText: string): string {
  const value = topLevelValueText(rawText, "order_id");
  if (value === null || !ID_TEXT.test(value)) {
    throw new PayloadError("order_id", "the refund has no numeric top-level order_id");
  }
  return value;
}

/**
 * Validates a refunds/create payload. `raw` is the parsed JSON, or (preferred) the raw body text;
 * the order id is then read losslessly. With parsed JSON, an order_id beyond 2^53 throws: pass
 * the raw text (or use extractOrderIdFromRefundJson and compare).
 */
export function parseRefundPayload(raw: unknown): ShopifyRefund {
  const refund = objectAt(toJson(raw), "refund");
  const currencies: Currencies = { shop: null, presentment: null };
  const id = resourceIdAt(refund.admin_graphql_api_id, refund.id, "Refund", "refund");

  let orderId = numericIdText(refund.order_id);
  if (typeof raw === "string") {
    const fromText = extractOrderIdFromRefundJson(raw);
    if (orderId !== null && orderId !== fromText) {
      throw new PayloadError("order_id", `scanned ${fromText} but parsed ${orderId}`);
    }
    orderId = fromText;
  }
  if (orderId === null) {
    throw new PayloadError(
      "order_id",
      typeof refund.order_id === "number"
        ? `${refund.order_id} is beyond 2^53 and was rounded by JSON.parse; pass the raw body text`
        : `expected a numeric order id, got ${describe(refund.order_id)}`,
    );
  }

  const refundLineItems = arrayAt(refund.refund_line_items, "refund_line_items", true).map(
    (value, index) => {
      const path = `refund_line_items[${index}]`;
      const entry = objectAt(value, path);
      const lineItem =
        entry.line_item === undefined || entry.line_item === null
          ? {}
          : objectAt(entry.line_item, `${path}.line_item`);
      return {
        lineItemId: resourceIdAt(
          lineItem.admin_graphql_api_id,
          entry.line_item_id,
          "LineItem",
          path,
          "line_item.admin_graphql_api_id",
          "line_item_id",
        ),
        giftCard: booleanAt(lineItem.gift_card, `${path}.line_item.gift_card`, false),
        quantity: quantityAt(entry.quantity, `${path}.quantity`),
        subtotal: moneyAt(entry.subtotal_set, `${path}.subtotal_set`, currencies),
        totalTax: moneyAt(entry.total_tax_set, `${path}.total_tax_set`, currencies),
      } satisfies ShopifyRefundLineItem;
    },
  );

  const transactions = arrayAt(refund.transactions, "transactions", true).map((value, index) => {
    const path = `transactions[${index}]`;
    const entry = objectAt(value, path);
    const currency = stringAt(entry.currency, `${path}.currency`);
    const amount = stringAt(entry.amount, `${path}.amount`);
    let amountMinor: bigint;
    try {
      amountMinor = parseMoney(amount, currency);
    } catch (error) {
      if (error instanceof MoneyError) throw new PayloadError(`${path}.amount`, error.message);
      throw error;
    }
    return {
      kind: stringAt(entry.kind, `${path}.kind`),
      status: stringAt(entry.status, `${path}.status`),
      amountMinor,
      currency,
    } satisfies ShopifyTransaction;
  });

  const orderAdjustments = arrayAt(refund.order_adjustments, "order_adjustments", true).map(
    (value, index) => {
      const path = `order_adjustments[${index}]`;
      const entry = objectAt(value, path);
      return {
        kind: stringAt(entry.kind, `${path}.kind`),
        amount: moneyAt(entry.amount_set, `${path}.amount_set`, currencies),
        taxAmount: optionalMoneyAt(entry.tax_amount_set, `${path}.tax_amount_set`, currencies) ?? {
          shopMinor: 0n,
          presentmentMinor: 0n,
        },
      } satisfies ShopifyOrderAdjustment;
    },
  );

  const refundShippingLines = arrayAt(
    refund.refund_shipping_lines,
    "refund_shipping_lines",
    true,
  ).map((value, index) => {
    const path = `refund_shipping_lines[${index}]`;
    const entry = objectAt(value, path);
    return {
      subtotal: moneyAt(entry.subtotal_amount_set, `${path}.subtotal_amount_set`, currencies),
      tax: optionalMoneyAt(entry.tax_amount_set, `${path}.tax_amount_set`, currencies),
    } satisfies ShopifyRefundShippingLine;
  });

  return {
    id,
    orderId,
    shopCurrency: currencies.shop,
    presentmentCurrency: currencies.presentment,
    refundLineItems,
    transactions,
    orderAdjustments,
    refundShippingLines,
  };
}
