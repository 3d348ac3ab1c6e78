import { describe, expect, it } from "vitest";
import {
  control,
  createPartner,
  purchase,
  purchaseWithRawAmount,
  signedRequest,
  type PartnerCredentials,
} from "./test-client";
import { useSandbox } from "./test-fixture";

const sandbox = useSandbox({ resetEach: true });

const submit = (partner: PartnerCredentials, body: unknown) =>
  signedRequest(sandbox.url, partner, "POST", "/v1/partner/actions/submit", body);

describe("token math", () => {
  it.each([
    ["49.99", 1, "USD", 50],
    ["0.5", 1, "USD", 1],
    ["0.49", 1, "USD", 0],
    ["2.5", 1, "EUR", 3],
    ["5000", 1, "JPY", 5000],
    ["1e2", 1, "USD", 100],
    ["49.990", 2, "USD", 100],
    ["33.33", 1.5, "USD", 50],
    ["10.001", 1.5, "USD", 15],
    // 50 × 1.15 is exactly 57.5 → 58; float arithmetic says 57.49999999999999 → 57.
    ["50", 1.15, "USD", 58],
    ["0.001", 1000, "USD", 1],
  ])(
    "amount %s × multiplier %s (%s) earns %s tokens",
    async (amountText, multiplier, currency, tokens) => {
      const partner = await createPartner(sandbox.url, { campaignMultiplier: multiplier });
      const response = await submit(
        partner,
        purchaseWithRawAmount("order_1", amountText, currency),
      );
      expect(response.status).toBe(200);
      expect(response.json.tokensDistributed).toBe(tokens);
    },
  );

  it("applies no multiplier without an active campaign", async () => {
    const partner = await createPartner(sandbox.url);
    const campaign = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      "/v1/partner/campaigns/active",
    );
    expect(campaign.status).toBe(404);
    expect((await submit(partner, purchase("order_1", 49.99))).json.tokensDistributed).toBe(50);
  });

  it("uses the campaign only for the action types it covers", async () => {
    const partner = await createPartner(sandbox.url, {
      campaignMultiplier: 2,
      campaignActionTypes: ["DONATION"],
    });
    expect((await submit(partner, purchase("order_1", 10))).json.tokensDistributed).toBe(10);
    const donation = await submit(partner, purchase("order_2", 10, { actionType: "DONATION" }));
    expect(donation.json.tokensDistributed).toBe(20);
    const explicit = await submit(
      partner,
      purchase("order_3", 10, { campaignId: partner.campaignId }),
    );
    expect(explicit.json.tokensDistributed).toBe(20);
  });
});

describe("actions/submit", () => {
  it("answers the documented shape, credits the user and debits the pool", async () => {
    const partner = await createPartner(sandbox.url, { poolBalance: 1000 });
    const response = await submit(
      partner,
      purchase("order_98765", 49.99, { metadata: { orderId: "98765" } }),
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      actionId: expect.stringMatching(/^[0-9a-f]{24}$/),
      idempotencyKey: "order_98765",
      status: "COMPLETED",
      tokensDistributed: 50,
      transactionIds: [expect.stringMatching(/^[0-9a-f]{24}$/)],
    });
    const balance = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      "/v1/partner/users/user_42/balance",
    );
    expect(balance.json).toEqual({ partnerUserId: "user_42", balance: 50, debt: 0 });
    const pool = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      `/v1/partner/token-pools/${partner.poolId}/balance`,
    );
    expect(pool.json).toEqual({
      poolId: partner.poolId,
      availableBalance: 950,
      totalAllocated: 1000,
      lowBalanceThreshold: 100,
    });
    const detail = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      `/v1/partner/actions/${response.json.actionId}`,
    );
    expect(detail.json).toMatchObject({
      ...response.json,
      amount: 49.99,
      currency: "USD",
      partnerUserId: "user_42",
      tokensReversed: 0,
      reversals: [],
      metadata: { orderId: "98765" },
    });
  });

  it("answers a repeated idempotencyKey with 409 and the original body, even if the body differs", async () => {
    const partner = await createPartner(sandbox.url);
    const first = await submit(partner, purchase("order_1", 49.99));
    const again = await submit(partner, purchase("order_1", 10, { currency: "EUR" }));
    expect(again.status).toBe(409);
    expect(again.json).toEqual(first.json);
    const balance = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      "/v1/partner/users/user_42/balance",
    );
    expect(balance.json.balance).toBe(50);
    const actions = await control(sandbox.url, "GET", `actions?partnerId=${partner.partnerId}`);
    expect(actions.json.actions).toHaveLength(1);
  });

  it("keeps idempotency keys per partner", async () => {
    const first = await createPartner(sandbox.url);
    const second = await createPartner(sandbox.url);
    expect((await submit(first, purchase("order_1", 5))).status).toBe(200);
    expect((await submit(second, purchase("order_1", 5))).status).toBe(200);
  });

  it("answers 402 INSUFFICIENT_POOL and records nothing when the pool is short", async () => {
    const partner = await createPartner(sandbox.url, { poolBalance: 10 });
    const response = await submit(partner, purchase("order_1", 10.5));
    expect(response.status).toBe(402);
    expect(response.json).toMatchObject({
      statusCode: 402,
      code: "INSUFFICIENT_POOL",
      error: "Payment Required",
    });
    expect(
      (await control(sandbox.url, "GET", `actions?partnerId=${partner.partnerId}`)).json.actions,
    ).toEqual([]);
    expect(
      (await signedRequest(sandbox.url, partner, "GET", "/v1/partner/users/user_42")).status,
    ).toBe(404);
    const pool = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      `/v1/partner/token-pools/${partner.poolId}/balance`,
    );
    expect(pool.json.availableBalance).toBe(10);
    // Nothing was recorded, so the same key succeeds once the pool is refilled.
    await control(sandbox.url, "POST", `pools/${partner.poolId}/refill`, { amount: 100 });
    const retried = await submit(partner, purchase("order_1", 10.5));
    expect(retried.status).toBe(200);
    expect(retried.json.tokensDistributed).toBe(11);
  });

  it.each([
    ['"49.99"', "amount must be a JSON number"],
    ["0", "amount must be greater than 0"],
    ["-5", "amount must be greater than 0"],
    ["1.0001", "at most 3 decimal places"],
  ])("rejects amount %s with 400 VALIDATION", async (amountText, message) => {
    const partner = await createPartner(sandbox.url);
    const response = await submit(partner, purchaseWithRawAmount("order_1", amountText));
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("VALIDATION");
    expect(response.json.message).toContain(message);
  });

  it.each([
    [{ currency: "usd" }, "currency"],
    [{ currency: "US" }, "currency"],
    [{ actionType: "" }, "actionType"],
    [{ stakeholders: [] }, "stakeholders"],
    [{ stakeholders: [{ stakeholderTypeCode: "MERCHANT", partnerUserId: "m" }] }, "CUSTOMER"],
    [{ stakeholders: [{ stakeholderTypeCode: "CUSTOMER" }] }, "partnerUserId"],
    [{ metadata: [1] }, "metadata"],
    [{ idempotencyKey: 7 }, "idempotencyKey"],
  ])("rejects %j with 400 VALIDATION", async (overrides, field) => {
    const partner = await createPartner(sandbox.url);
    const response = await submit(partner, purchase("order_1", 5, overrides));
    expect(response.status).toBe(400);
    expect(response.json.message).toContain(field);
  });

  it("rejects a body that is not JSON with 400 VALIDATION", async () => {
    const partner = await createPartner(sandbox.url);
    const response = await submit(partner, "{not json");
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("VALIDATION");
  });

  it("answers 404 for an unknown user without autoCreateUsers, then credits an existing one", async () => {
    const partner = await createPartner(sandbox.url);
    const missing = await submit(partner, purchase("order_1", 5, { autoCreateUsers: false }));
    expect(missing.status).toBe(404);
    await submit(partner, purchase("order_2", 5));
    const existing = await submit(partner, purchase("order_3", 5, { autoCreateUsers: false }));
    expect(existing.status).toBe(200);
  });

  it("lists actions newest first with paging", async () => {
    const partner = await createPartner(sandbox.url);
    for (const key of ["a", "b", "c"]) await submit(partner, purchase(key, 1));
    const page = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      "/v1/partner/actions?limit=2&page=1",
    );
    expect(page.json.total).toBe(3);
    expect(
      page.json.actions.map((action: { idempotencyKey: string }) => action.idempotencyKey),
    ).toEqual(["c", "b"]);
    const next = await signedRequest(
      sandbox.url,
      partner,
      "GET",
      "/v1/partner/actions?limit=2&page=2",
    );
    expect(
      next.json.actions.map((action: { idempotencyKey: string }) => action.idempotencyKey),
    ).toEqual(["a"]);
  });

  it("does not show one partner's action to another", async () => {
    const owner = await createPartner(sandbox.url);
    const other = await createPartner(sandbox.url);
    const { json } = await submit(owner, purchase("order_1", 1));
    expect(
      (await signedRequest(sandbox.url, other, "GET", `/v1/partner/actions/${json.actionId}`))
        .status,
    ).toBe(404);
  });
});
