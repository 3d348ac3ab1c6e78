// The shopper endpoints on the production server: Remix routes them (the preflight goes to the
// action), the real session-token check, CORS, and no SIR call on the order answer.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { customerAccountToken, sessionToken } from "../helpers/session-tokens";
import { db } from "../../app/db.server";
import { recordInstallation } from "../../app/models/Shop.server";
import { orderIdempotencyKey } from "../../app/models/Reward.server";

const ORIGIN = "https://extensions.shopifycdn.com";
// The extensions run in the shopper's browser; Node's own user agent reads as a bot (410).
const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15";
const ORDER_ID = "6200000000001";
const CUSTOMER = "7101";

let app: AppServer;
const shop = `shopper-e2e-${randomUUID().slice(0, 8)}.myshopify.com`;

beforeAll(async () => {
  await recordInstallation(shop, db);
  await db.reward.create({
    data: {
      shopDomain: shop,
      orderId: ORDER_ID,
      orderName: "#1001",
      currency: "EUR",
      basisMinor: 3000n,
      amount: "30.00",
      status: "rewarded",
      workPending: false,
      idempotencyKey: orderIdempotencyKey(shop, ORDER_ID),
      partnerUserId: CUSTOMER,
      customerId: CUSTOMER,
      actionId: "act-e2e",
      tokensDistributed: 30,
    },
  });
  app = await startAppServer();
});

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const url = (path: string) => `${app.url}${path}`;

describe("shopper API on the production server", () => {
  it("answers the CORS preflight", async () => {
    const response = await fetch(url(`/api/shopper/orders/${ORDER_ID}/reward`), {
      method: "OPTIONS",
      headers: {
        Origin: ORIGIN,
        "User-Agent": BROWSER,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("answers the customer's own order, and refuses a wrongly signed token the same way as none", async () => {
    const own = await fetch(url(`/api/shopper/orders/${ORDER_ID}/reward`), {
      headers: {
        Origin: ORIGIN,
        "User-Agent": BROWSER,
        Authorization: `Bearer ${customerAccountToken(shop, CUSTOMER)}`,
      },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBe("*");
    expect(await own.json()).toMatchObject({ state: "earned", awardedUnits: 30 });

    const forged = sessionToken(
      { dest: shop, sub: `gid://shopify/Customer/${CUSTOMER}` },
      { secret: "not-the-app-secret" },
    );
    for (const path of [`/api/shopper/orders/${ORDER_ID}/reward`, "/api/shopper/account"]) {
      const refused = await fetch(url(path), {
        headers: { Origin: ORIGIN, "User-Agent": BROWSER, Authorization: `Bearer ${forged}` },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("access-control-allow-origin")).toBe("*");
      expect(await refused.text()).toBe('{"error":"unauthorized"}');
    }
  });

  it("answers the account of a shop without a SIR connection: figures on their way, the ledger's history", async () => {
    const response = await fetch(url("/api/shopper/account"), {
      headers: {
        Origin: ORIGIN,
        "User-Agent": BROWSER,
        Authorization: `Bearer ${customerAccountToken(shop, CUSTOMER)}`,
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      balance: null,
      owedUnits: null,
      history: [{ orderName: "#1001", awardedUnits: 30, reversedUnits: 0, state: "earned" }],
    });
  });
});
