import { describe, expect, it } from "vitest";
import { control, purchase, signedRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";

const sandbox = useSandboxPartner({ partner: { poolBalance: 10_000 } });

const submit = async (idempotencyKey: string, amount: number) => {
  const response = await signedRequest(
    sandbox.url,
    sandbox.partner,
    "POST",
    "/v1/partner/actions/submit",
    purchase(idempotencyKey, amount),
  );
  expect(response.status).toBe(200);
  return response.json as { actionId: string; tokensDistributed: number };
};

const reverse = (
  actionId: string,
  reversalPercentage: number | string,
  refundIdempotencyKey: string,
) => {
  const body =
    typeof reversalPercentage === "string"
      ? `{"reversalPercentage":${reversalPercentage},"reason":"Order refunded","refundIdempotencyKey":"${refundIdempotencyKey}"}`
      : { reversalPercentage, reason: "Order refunded", refundIdempotencyKey };
  return signedRequest(
    sandbox.url,
    sandbox.partner,
    "POST",
    `/v1/partner/actions/${actionId}/reverse`,
    body,
  );
};

const userBalance = async () =>
  (await signedRequest(sandbox.url, sandbox.partner, "GET", "/v1/partner/users/user_42/balance"))
    .json as {
    balance: number;
    debt: number;
  };

const poolBalance = async () =>
  (
    await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      `/v1/partner/token-pools/${sandbox.partner.poolId}/balance`,
    )
  ).json.availableBalance as number;

describe("actions/:actionId/reverse", () => {
  it("reverses 30 % then 70 % to exactly the tokens distributed", async () => {
    const action = await submit("order_1", 33);
    const first = await reverse(action.actionId, 30, "refund_1");
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      reversalTransactionId: expect.stringMatching(/^[0-9a-f]{24}$/),
      tokensClawedBack: 10,
      debtsCreated: 0,
      breakdown: [{ stakeholderTypeCode: "CUSTOMER", expected: 10, clawedBack: 10, debt: 0 }],
    });
    const second = await reverse(action.actionId, 70, "refund_2");
    expect(second.json.tokensClawedBack).toBe(23);
    expect(first.json.tokensClawedBack + second.json.tokensClawedBack).toBe(33);
    expect(await userBalance()).toEqual({ partnerUserId: "user_42", balance: 0, debt: 0 });
    // ASSUMED and documented: clawed-back tokens return to the pool.
    expect(await poolBalance()).toBe(10_000);
    const detail = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      `/v1/partner/actions/${action.actionId}`,
    );
    expect(detail.json).toMatchObject({ status: "REVERSED", tokensReversed: 33 });
    expect(detail.json.reversals).toHaveLength(2);
  });

  it("rounds cumulatively: three thirds and a remainder never exceed the total", async () => {
    const action = await submit("order_1", 33);
    const clawed: number[] = [];
    for (const [index, percentage] of [33.33, 33.33, 33.33, 0.01].entries()) {
      const response = await reverse(action.actionId, percentage, `refund_${index}`);
      expect(response.status).toBe(200);
      clawed.push(response.json.tokensClawedBack);
    }
    expect(clawed).toEqual([11, 11, 11, 0]);
  });

  it("rejects a reversal that would take the cumulative share past 100 %", async () => {
    const action = await submit("order_1", 50);
    expect((await reverse(action.actionId, 70, "refund_1")).status).toBe(200);
    const tooMuch = await reverse(action.actionId, 40, "refund_2");
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json.code).toBe("VALIDATION");
    expect(tooMuch.json.message).toContain("30 %");
    expect((await reverse(action.actionId, 30, "refund_3")).json.tokensClawedBack).toBe(15);
  });

  it("answers a repeated refundIdempotencyKey with 409 and the original body", async () => {
    const action = await submit("order_1", 50);
    const first = await reverse(action.actionId, 50, "refund_1");
    const again = await reverse(action.actionId, 20, "refund_1");
    expect(again.status).toBe(409);
    expect(again.json).toEqual(first.json);
    expect((await userBalance()).balance).toBe(25);
  });

  it("claws back what is left and records debt for what the user already spent", async () => {
    const action = await submit("order_1", 49.99);
    const spend = await control(sandbox.url, "POST", "users/user_42/spend", {
      partnerId: sandbox.partner.partnerId,
      tokens: 15,
    });
    expect(spend.json).toEqual({ partnerUserId: "user_42", spent: 15, balance: 35, debt: 0 });
    const response = await reverse(action.actionId, 100, "refund_1");
    expect(response.json).toMatchObject({
      tokensClawedBack: 35,
      debtsCreated: 1,
      breakdown: [{ stakeholderTypeCode: "CUSTOMER", expected: 50, clawedBack: 35, debt: 15 }],
    });
    expect(await userBalance()).toMatchObject({ balance: 0, debt: 15 });
    expect(await poolBalance()).toBe(10_000 - 50 + 35);

    // The debt offsets later earnings; the repaid part stays in the pool.
    await submit("order_2", 20);
    expect(await userBalance()).toMatchObject({ balance: 5, debt: 0 });
    expect(await poolBalance()).toBe(10_000 - 50 + 35 - 5);
  });

  it("stops simulated spending at a zero balance", async () => {
    await submit("order_1", 10);
    const spend = await control(sandbox.url, "POST", "users/user_42/spend", {
      partnerId: sandbox.partner.partnerId,
      tokens: 25,
    });
    expect(spend.json).toMatchObject({ spent: 10, balance: 0 });
  });

  it("answers 404 for an unknown action", async () => {
    const response = await reverse("0".repeat(24), 100, "refund_1");
    expect(response.status).toBe(404);
    expect(response.json.code).toBe("NOT_FOUND");
  });

  it.each(["0", "100.01", "-10", "12.345", '"50"'])(
    "rejects reversalPercentage %s",
    async (percentage) => {
      const action = await submit("order_1", 10);
      const response = await reverse(action.actionId, percentage, "refund_1");
      expect(response.status).toBe(400);
      expect(response.json.code).toBe("VALIDATION");
    },
  );
});
