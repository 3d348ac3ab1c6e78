// The shopper endpoints through the real shopify-app-remix authentication, with session tokens
// signed as Shopify signs them (HS256 with the app secret; aud the API key, dest the shop, sub the
// customer), the real ledger and the SIR sandbox.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startSandbox, type Sandbox } from "../../test/sir-sandbox/server";
import { createPartner, type PartnerCredentials } from "../../test/sir-sandbox/test-client";
import {
  checkoutToken,
  customerAccountToken,
  sessionToken,
} from "../../test/helpers/session-tokens";
import { db } from "../db.server";
import { recordInstallation } from "../models/Shop.server";
import { saveConnection, saveRewardMultiplier } from "../models/ProviderConnection.server";
import { orderIdempotencyKey } from "../models/Reward.server";
import { createSirClient } from "../sir";
import {
  loader as orderLoader,
  action as orderAction,
} from "../routes/api.shopper.orders.$orderId.reward";
import { loader as accountLoader } from "../routes/api.shopper.account";
import { clearStandingCache } from "./answers.server";
import { SHOPPER_RATE_LIMIT, resetShopperRateLimit } from "./endpoints.server";
import type { AccountAnswer, OrderRewardAnswer } from "./contract";

// The ledger read can be made to fail, as a database outage would.
const ledger = vi.hoisted(() => ({ down: false }));
vi.mock("../models/Reward.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../models/Reward.server")>();
  return {
    ...actual,
    findRewardByOrder: (...args: Parameters<typeof actual.findRewardByOrder>) =>
      ledger.down ? Promise.reject(new Error("db down")) : actual.findRewardByOrder(...args),
  };
});

const APP = "https://sir-rewards.test";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const CUSTOMER = "7001";
const OTHER_CUSTOMER = "8002";
const TOKENS = { one: "token", other: "tokens" };

function get(path: string, token: string | null, method = "GET") {
  const headers = new Headers({ Origin: EXTENSION_ORIGIN });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (method === "OPTIONS") {
    headers.set("Access-Control-Request-Method", "GET");
    headers.set("Access-Control-Request-Headers", "authorization");
  }
  return new Request(new URL(path, APP), { method, headers });
}

/** Calls the route as Remix does: a thrown Response is the answer. */
async function call(
  handler: typeof orderLoader,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const orderReward = (token: string | null, orderId: string) =>
  call(orderLoader, get(`/api/shopper/orders/${orderId}/reward`, token), { orderId });
const account = (token: string | null) => call(accountLoader, get("/api/shopper/account", token));

let sandbox: Sandbox;
let partner: PartnerCredentials;
let shop: string;
let actionId: string;
/** Installed too, with the same customer id: its tokens see none of the first shop's orders. */
const otherShop = `shopper-other-${randomUUID().slice(0, 8)}.myshopify.com`;

const orderId = (n: number) => String(6_100_000_000_000 + n);

async function seed(
  n: number,
  customerId: string | null,
  status: string,
  figures: Partial<{
    actionId: string;
    tokensDistributed: number;
    tokensReversed: number;
    debt: number;
    basisMinor: bigint;
  }> = {},
) {
  await db.reward.create({
    data: {
      shopDomain: shop,
      orderId: orderId(n),
      orderName: `#${n}`,
      currency: "USD",
      basisMinor: figures.basisMinor ?? 2500n,
      amount: "25.00",
      status,
      workPending: false,
      idempotencyKey: orderIdempotencyKey(shop, orderId(n)),
      partnerUserId: customerId,
      customerId,
      actionId: figures.actionId ?? null,
      tokensDistributed: figures.tokensDistributed ?? null,
      tokensReversed: figures.tokensReversed ?? 0,
      debt: figures.debt ?? 0,
      orderCreatedAt: new Date(`2026-11-${String(n % 28).padStart(2, "0")}T10:00:00Z`),
    },
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  partner = await createPartner(sandbox.url, { name: "Shopper API" });
  shop = `shopper-${randomUUID().slice(0, 8)}.myshopify.com`;
  await recordInstallation(shop, db);
  await recordInstallation(otherShop, db);
  await saveConnection(
    {
      shopDomain: shop,
      environment: "sandbox",
      apiUrl: sandbox.url,
      publicKey: partner.publicKey,
      secretKey: partner.secretKey,
      hmacSecret: partner.hmacSecret,
    },
    db,
  );
  // What the pipeline did for the customer's first order: 25 tokens, then a 20 % refund.
  const sir = createSirClient({
    baseUrl: sandbox.url,
    publicKey: partner.publicKey,
    secretKey: partner.secretKey,
    hmacSecret: partner.hmacSecret,
  });
  const { action } = await sir.submitAction({
    idempotencyKey: orderIdempotencyKey(shop, orderId(1)),
    actionType: "PURCHASE",
    amount: "25.00",
    currency: "USD",
    stakeholders: [{ stakeholderTypeCode: "CUSTOMER", partnerUserId: CUSTOMER }],
    autoCreateUsers: true,
  });
  actionId = action.actionId;
  await sir.reverseAction(actionId, {
    reversalPercentage: "20",
    reason: "refund",
    refundIdempotencyKey: "refund-1",
  });
  await seed(1, CUSTOMER, "partially_reversed", {
    actionId,
    tokensDistributed: 25,
    tokensReversed: 5,
    debt: 2,
  });
  await seed(2, CUSTOMER, "pending", { basisMinor: 4950n });
  await seed(3, CUSTOMER, "failed");
  await seed(4, CUSTOMER, "skipped");
  await seed(5, CUSTOMER, "parked", { basisMinor: 1049n });
  await seed(10, OTHER_CUSTOMER, "rewarded", { tokensDistributed: 40, actionId: "act-other" });
  await seed(11, null, "rewarded", { tokensDistributed: 12 });
});

afterAll(async () => {
  await sandbox?.close();
  await db.$disconnect();
});

beforeEach(() => {
  resetShopperRateLimit();
  clearStandingCache();
  sandbox.state.faults.outage = false;
  sandbox.state.faults.latencyMs = 0;
});

describe("GET /api/shopper/orders/:orderId/reward", () => {
  it("answers the customer's own order with the ledger's figures", async () => {
    const response = await orderReward(customerAccountToken(shop, CUSTOMER), orderId(1));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await response.json()).toEqual({
      state: "earned",
      unit: TOKENS,
      estimatedUnits: null,
      awardedUnits: 25,
      reversedUnits: 5,
      owedUnits: 2,
      balanceUrl: null,
    } satisfies OrderRewardAnswer);
  });

  it("maps the other states: pending and parked are estimated, failed is delayed, skipped none", async () => {
    const token = checkoutToken(shop, CUSTOMER);
    const answers = await Promise.all(
      // The gid form of the id is accepted too.
      [`gid://shopify/Order/${orderId(2)}`, orderId(5), orderId(3), orderId(4)].map(
        async (id) => (await orderReward(token, id)).json() as Promise<OrderRewardAnswer>,
      ),
    );
    expect(answers.map(({ state, estimatedUnits }) => [state, estimatedUnits])).toEqual([
      ["estimated", 50], // 49.50 USD, round half up
      ["estimated", 10], // 10.49 USD
      ["delayed", null],
      ["none", null],
    ]);
  });

  it("estimates at the multiplier the estimate refresh last read (the checkout's figure)", async () => {
    await saveRewardMultiplier(shop, "1.15", db);
    try {
      const answer = (await (
        await orderReward(checkoutToken(shop, CUSTOMER), orderId(2))
      ).json()) as OrderRewardAnswer;
      expect(answer.estimatedUnits).toBe(57); // 49.50 × 1.15 = 56.925, round half up
    } finally {
      await db.providerConnection.update({
        where: { shopDomain: shop },
        data: { rewardMultiplier: null },
      });
    }
  });

  it("answers another customer's order, a guest's request and a missing order byte for byte alike", async () => {
    const bodies = await Promise.all(
      [
        orderReward(customerAccountToken(shop, CUSTOMER), orderId(10)), // another customer's
        orderReward(customerAccountToken(shop, CUSTOMER), orderId(11)), // a guest order
        orderReward(customerAccountToken(shop, CUSTOMER), orderId(999)), // none such
        orderReward(customerAccountToken(shop, CUSTOMER), "not-an-id"),
        orderReward(checkoutToken(shop, null), orderId(10)), // a guest's thank-you page
        orderReward(customerAccountToken(otherShop, CUSTOMER), orderId(1)), // another shop's
      ].map(async (pending) => {
        const response = await pending;
        expect(response.status).toBe(200);
        return response.text();
      }),
    );
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0])).toEqual({
      state: "none",
      unit: TOKENS,
      estimatedUnits: null,
      awardedUnits: null,
      reversedUnits: 0,
      owedUnits: 0,
      balanceUrl: null,
    });
  });

  it("refuses expired, wrongly signed, other-audience and other-shop tokens alike, revealing nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sub = `gid://shopify/Customer/${CUSTOMER}`;
    const refused = [
      null,
      "not-a-jwt",
      sessionToken({ dest: shop, sub, exp: now - 60, nbf: now - 120, iat: now - 120 }),
      sessionToken({ dest: shop, sub }, { secret: "someone-elses-secret" }),
      sessionToken({ dest: shop, sub, aud: "another-apps-key" }),
      sessionToken({ dest: shop, sub }, { omit: ["aud"] }),
      sessionToken({ dest: "not-installed.myshopify.com", sub }),
      sessionToken({ dest: "https://evil.example.com", sub }),
      sessionToken({ sub }, { omit: ["dest"] }),
      sessionToken({ dest: shop, sub, nbf: now + 600 }),
    ];
    const answers = await Promise.all(
      refused.map(async (token) => {
        const response = await orderReward(token, orderId(1));
        return {
          status: response.status,
          cors: response.headers.get("Access-Control-Allow-Origin"),
          body: await response.text(),
        };
      }),
    );
    for (const answer of answers) {
      expect(answer).toEqual({ status: 401, cors: "*", body: '{"error":"unauthorized"}' });
    }
  });

  it("reads 'on their way' when the ledger cannot be read, never an error", async () => {
    ledger.down = true;
    try {
      const response = await orderReward(customerAccountToken(shop, CUSTOMER), orderId(1));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ state: "delayed", awardedUnits: null });
    } finally {
      ledger.down = false;
    }
  });

  it("refuses a shop that uninstalled the app", async () => {
    const gone = `shopper-gone-${randomUUID().slice(0, 8)}.myshopify.com`;
    await recordInstallation(gone, db);
    await db.shop.update({ where: { domain: gone }, data: { uninstalledAt: new Date() } });
    const response = await orderReward(customerAccountToken(gone, CUSTOMER), orderId(1));
    expect(response.status).toBe(401);
  });

  it("answers the CORS preflight of the extension origins", async () => {
    const path = `/api/shopper/orders/${orderId(1)}/reward`;
    const response = await call(orderAction, get(path, null, "OPTIONS"), { orderId: orderId(1) });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
    expect(response.headers.get("Access-Control-Max-Age")).toBe("7200");
  });

  it("limits each customer to 30 requests a minute, then answers 429 with Retry-After", async () => {
    const token = customerAccountToken(shop, CUSTOMER);
    for (let index = 0; index < SHOPPER_RATE_LIMIT; index += 1) {
      expect((await orderReward(token, orderId(999))).status).toBe(200);
    }
    const limited = await orderReward(token, orderId(1));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(limited.headers.get("Access-Control-Expose-Headers")).toMatch(/Retry-After/);
    // Another customer has their own allowance.
    expect(
      (await orderReward(customerAccountToken(shop, OTHER_CUSTOMER), orderId(10))).status,
    ).toBe(200);
  });
});

describe("GET /api/shopper/account", () => {
  const userRequests = () =>
    sandbox.state.requestLog.filter((entry) => entry.path.includes("/v1/partner/users/")).length;

  it("answers the customer's balance and debt from SIR and their history, newest first", async () => {
    const response = await account(customerAccountToken(shop, CUSTOMER));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const answer = (await response.json()) as AccountAnswer;
    expect(answer).toEqual({
      unit: TOKENS,
      balance: 20, // 25 earned, 5 taken back
      owedUnits: 0,
      history: [
        {
          orderName: "#5",
          date: "2026-11-05T10:00:00.000Z",
          awardedUnits: null,
          reversedUnits: 0,
          state: "estimated",
        },
        {
          orderName: "#3",
          date: "2026-11-03T10:00:00.000Z",
          awardedUnits: null,
          reversedUnits: 0,
          state: "delayed",
        },
        {
          orderName: "#2",
          date: "2026-11-02T10:00:00.000Z",
          awardedUnits: null,
          reversedUnits: 0,
          state: "estimated",
        },
        {
          orderName: "#1",
          date: "2026-11-01T10:00:00.000Z",
          awardedUnits: 25,
          reversedUnits: 5,
          state: "earned",
        },
      ],
    } satisfies AccountAnswer);
  });

  it("asks SIR at most once a minute per customer", async () => {
    const token = customerAccountToken(shop, CUSTOMER);
    const before = userRequests();
    const first = await (await account(token)).text();
    const asked = userRequests() - before;
    expect(asked).toBe(2); // balance and transactions
    const again = await Promise.all([account(token), account(token), account(token)]);
    for (const response of again) expect(await response.text()).toBe(first);
    expect(userRequests() - before).toBe(asked);
  });

  it("reads 'on their way' during a SIR outage: no balance, the ledger's history, never an error", async () => {
    sandbox.state.faults.outage = true;
    const response = await account(customerAccountToken(shop, CUSTOMER));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as AccountAnswer;
    expect(answer.balance).toBeNull();
    expect(answer.owedUnits).toBeNull();
    expect(answer.history.find((entry) => entry.orderName === "#1")).toMatchObject({
      awardedUnits: 25,
      reversedUnits: 5,
      state: "earned",
    });
    // The order answers come from the ledger alone.
    const order = await orderReward(customerAccountToken(shop, CUSTOMER), orderId(1));
    expect(order.status).toBe(200);
  });

  it("reads a SIR that does not answer within 3 s the same way", async () => {
    sandbox.state.faults.latencyMs = 5_000;
    const started = Date.now();
    const response = await account(customerAccountToken(shop, OTHER_CUSTOMER));
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ balance: null, owedUnits: null });
  });

  it("shows a customer SIR does not know yet a zero balance", async () => {
    const answer = (await (
      await account(customerAccountToken(shop, "9999"))
    ).json()) as AccountAnswer;
    expect(answer).toEqual({ unit: TOKENS, balance: 0, owedUnits: 0, history: [] });
  });

  it("refuses a token without a customer and a token of another shop", async () => {
    expect((await account(checkoutToken(shop, null))).status).toBe(401);
    const other = sessionToken({
      dest: "not-installed.myshopify.com",
      sub: `gid://shopify/Customer/${CUSTOMER}`,
    });
    const refused = await account(other);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('{"error":"unauthorized"}');
  });
});
