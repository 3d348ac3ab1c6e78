import { describe, expect, it } from "vitest";
import { control, purchase, signedRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";

const sandbox = useSandboxPartner({ partner: { poolBalance: 100_000 } });

const bulk = (actions: unknown) =>
  signedRequest(sandbox.url, sandbox.partner, "POST", "/v1/partner/actions/bulk", { actions });

const recordedActions = async () =>
  (await control(sandbox.url, "GET", `actions?partnerId=${sandbox.partner.partnerId}`)).json
    .actions as unknown[];

describe("actions/bulk", () => {
  it("processes 100 actions with one result each", async () => {
    const actions = Array.from({ length: 100 }, (_, index) =>
      purchase(`order_${index}`, index + 1),
    );
    const response = await bulk(actions);
    expect(response.status).toBe(200);
    expect(response.json.results).toHaveLength(100);
    response.json.results.forEach(
      (
        result: {
          index: number;
          status: number;
          idempotencyKey: string;
          result: { tokensDistributed: number };
        },
        index: number,
      ) => {
        expect(result).toMatchObject({ index, status: 200, idempotencyKey: `order_${index}` });
        expect(result.result.tokensDistributed).toBe(index + 1);
      },
    );
    expect(await recordedActions()).toHaveLength(100);
  });

  it("rejects 101 actions as a whole and records nothing", async () => {
    const actions = Array.from({ length: 101 }, (_, index) => purchase(`order_${index}`, 1));
    const response = await bulk(actions);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: "VALIDATION",
      message: "actions must be an array of 1 to 100 actions",
    });
    expect(await recordedActions()).toHaveLength(0);
  });

  it("rejects an empty or missing list", async () => {
    expect((await bulk([])).status).toBe(400);
    expect(
      (await signedRequest(sandbox.url, sandbox.partner, "POST", "/v1/partner/actions/bulk", {}))
        .status,
    ).toBe(400);
  });

  it("reports per-item results: a duplicate inside the call, an invalid item, an earlier key, a short pool", async () => {
    const earlier = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_old", 3),
    );
    await control(sandbox.url, "POST", `pools/${sandbox.partner.poolId}/set-balance`, {
      availableBalance: 100,
    });
    const response = await bulk([
      purchase("order_a", 49.99),
      purchase("order_a", 12),
      purchase("order_b", "12"),
      purchase("order_old", 3),
      purchase("order_c", 60),
      purchase("order_d", 40),
      "not an object",
    ]);
    expect(response.status).toBe(200);
    const [first, duplicate, invalid, replay, short, last, notObject] = response.json.results;
    expect(first).toMatchObject({
      index: 0,
      status: 200,
      idempotencyKey: "order_a",
      result: { tokensDistributed: 50 },
    });
    expect(duplicate).toEqual({
      index: 1,
      status: 409,
      idempotencyKey: "order_a",
      result: first.result,
    });
    expect(invalid).toEqual({
      index: 2,
      status: 400,
      idempotencyKey: "order_b",
      error: { code: "VALIDATION", message: "amount must be a JSON number" },
    });
    expect(replay).toEqual({
      index: 3,
      status: 409,
      idempotencyKey: "order_old",
      result: earlier.json,
    });
    expect(short).toMatchObject({ index: 4, status: 402, error: { code: "INSUFFICIENT_POOL" } });
    expect(last).toMatchObject({ index: 5, status: 200, result: { tokensDistributed: 40 } });
    expect(notObject).toMatchObject({ index: 6, status: 400, idempotencyKey: null });
    expect(await recordedActions()).toHaveLength(3);

    // The request log keeps each action a request carried and the status it got.
    const { requests } = (await control(sandbox.url, "GET", "requests")).json;
    expect(requests.map((request: { actions?: unknown }) => request.actions)).toEqual([
      [{ idempotencyKey: "order_old", status: 200 }],
      [
        { idempotencyKey: "order_a", status: 200 },
        { idempotencyKey: "order_a", status: 409 },
        { idempotencyKey: "order_b", status: 400 },
        { idempotencyKey: "order_old", status: 409 },
        { idempotencyKey: "order_c", status: 402 },
        { idempotencyKey: "order_d", status: 200 },
        { idempotencyKey: null, status: 400 },
      ],
    ]);
  });

  it("logs each action of a refused bulk call with the call's status", async () => {
    await control(sandbox.url, "POST", "faults", { outage: true });
    const response = await bulk([purchase("order_x", 1), purchase("order_y", 2)]);
    await control(sandbox.url, "DELETE", "faults");
    expect(response.status).toBe(503);
    const { requests } = (await control(sandbox.url, "GET", "requests")).json;
    expect(requests.at(-1).actions).toEqual([
      { idempotencyKey: "order_x", status: 503 },
      { idempotencyKey: "order_y", status: 503 },
    ]);
  });
});
