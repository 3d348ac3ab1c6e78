import { db, type Database } from "../../db.server";
import { parseJsonLossless } from "../calculation/lossless-json";
import { logger } from "../../logger.server";
import { RejectEvent, type InboxEvent } from "./inbox-event";

const log = logger.child({ component: "compliance" });

type CustomerPrivacyPayload = {
  customer: { id: string | null; email: string | null };
  orderIds: string[];
};

function idText(value: unknown): string | null {
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return null;
}

function parseCustomerPayload(event: InboxEvent, ordersField: string): CustomerPrivacyPayload {
  const body = parseJsonLossless(event.payload) as Record<string, unknown>;
  const customer = (body.customer ?? {}) as Record<string, unknown>;
  const orders = Array.isArray(body[ordersField]) ? (body[ordersField] as unknown[]) : [];
  const payload = {
    customer: {
      id: idText(customer.id),
      email: typeof customer.email === "string" ? customer.email.toLowerCase() : null,
    },
    orderIds: orders.map(idText).filter((id): id is string => id !== null),
  };
  if (!payload.customer.id && !payload.customer.email && payload.orderIds.length === 0) {
    throw new RejectEvent(`${event.topic} names no customer and no orders`);
  }
  return payload;
}

function rewardsOf(shopDomain: string, payload: CustomerPrivacyPayload) {
  return {
    shopDomain,
    OR: [
      ...(payload.customer.id ? [{ customerId: payload.customer.id }] : []),
      ...(payload.customer.email ? [{ customerEmail: payload.customer.email }] : []),
      ...(payload.orderIds.length ? [{ orderId: { in: payload.orderIds } }] : []),
    ],
  };
}

// customers/data_request: gather what the ledger holds about the customer,
// keep it for the merchant (CLI: `data-requests list`), and log that it exists.
export async function answerCustomerDataRequest(event: InboxEvent, database: Database = db) {
  const payload = parseCustomerPayload(event, "orders_requested");
  const rewards = await database.reward.findMany({
    where: rewardsOf(event.shopDomain, payload),
    select: {
      orderId: true,
      orderName: true,
      amount: true,
      currency: true,
      status: true,
      partnerUserId: true,
      customerEmail: true,
      customerFirstName: true,
      customerLastName: true,
      tokensDistributed: true,
      tokensReversed: true,
      debt: true,
      createdAt: true,
    },
  });
  const request = await database.customerDataRequest.create({
    data: {
      shopDomain: event.shopDomain,
      customerId: payload.customer.id,
      email: payload.customer.email,
      data: JSON.stringify({ rewards }),
    },
  });
  log.info("customer data request answered", {
    shop: event.shopDomain,
    requestId: request.id,
    rewards: rewards.length,
  });
}

// customers/redact: personal data leaves the ledger; amounts and tokens stay
// (they are the shop's accounting, not the customer's data).
export async function redactCustomer(event: InboxEvent, database: Database = db) {
  const payload = parseCustomerPayload(event, "orders_to_redact");
  const rewards = await database.reward.findMany({
    where: rewardsOf(event.shopDomain, payload),
    select: { id: true, orderId: true },
  });
  await database.reward.updateMany({
    where: { id: { in: rewards.map((r) => r.id) } },
    data: {
      customerId: null,
      customerEmail: null,
      customerFirstName: null,
      customerLastName: null,
      partnerUserId: "redacted",
    },
  });
  // The raw webhooks about those orders carry the same personal data.
  for (const reward of rewards) {
    await database.webhookEvent.updateMany({
      where: {
        shopDomain: event.shopDomain,
        source: "shopify",
        id: { not: event.id },
        payload: { contains: reward.orderId },
      },
      data: { payload: '{"redacted":true}' },
    });
  }
  await database.customerDataRequest.deleteMany({
    where: {
      shopDomain: event.shopDomain,
      OR: [
        ...(payload.customer.id ? [{ customerId: payload.customer.id }] : []),
        ...(payload.customer.email ? [{ email: payload.customer.email }] : []),
      ],
    },
  });
  log.info("customer redacted", { shop: event.shopDomain, rewards: rewards.length });
}

// shop/redact (48 h after uninstall): everything the app holds for the shop.
export async function redactShop(event: InboxEvent, database: Database = db) {
  const shopDomain = event.shopDomain;
  await database.$transaction([
    database.reward.deleteMany({ where: { shopDomain } }),
    database.providerConnection.deleteMany({ where: { shopDomain } }),
    database.rewardSettings.deleteMany({ where: { shopDomain } }),
    database.customerDataRequest.deleteMany({ where: { shopDomain } }),
    database.session.deleteMany({ where: { shop: shopDomain } }),
    database.shop.deleteMany({ where: { domain: shopDomain } }),
    database.webhookEvent.deleteMany({ where: { shopDomain, id: { not: event.id } } }),
  ]);
  log.info("shop redacted", { shop: shopDomain });
}
