import { describe, expect, it } from "vitest";
import { control, purchase, signedRequest, widgetRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";

const sandbox = useSandboxPartner();

const getPools = () =>
  signedRequest(sandbox.url, sandbox.partner, "GET", "/v1/partner/token-pools");
const submit = (key: string) =>
  signedRequest(
    sandbox.url,
    sandbox.partner,
    "POST",
    "/v1/partner/actions/submit",
    purchase(key, 10),
  );

describe("fault injection", () => {
  it("adds latency to /v1 requests only", async () => {
    await control(sandbox.url, "POST", "faults", { latencyMs: 150 });
    let started = performance.now();
    expect((await getPools()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    started = performance.now();
    await control(sandbox.url, "GET", "faults");
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("answers 503 to every /v1 request during an outage while the control API keeps working", async () => {
    const set = await control(sandbox.url, "POST", "faults", { outage: true });
    expect(set.json.outage).toBe(true);
    const signed = await getPools();
    expect(signed.status).toBe(503);
    expect(signed.json).toMatchObject({ statusCode: 503, code: "SERVER" });
    const widget = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "GET",
      "/v1/partner/config",
    );
    expect(widget.status).toBe(503);
    expect(widget.headers["access-control-allow-origin"]).toBe("*");
    expect((await control(sandbox.url, "GET", "requests")).status).toBe(200);
    await control(sandbox.url, "DELETE", "faults");
    expect((await getPools()).status).toBe(200);
  });

  it("forces a given number of 429s with Retry-After, then recovers", async () => {
    await control(sandbox.url, "POST", "faults", { force429: { count: 2, retryAfterSeconds: 7 } });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await getPools();
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers["retry-after"]).toBe("7");
        expect(response.json.code).toBe("RATE_LIMITED");
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    const log = (await control(sandbox.url, "GET", "requests")).json.requests;
    expect(log.map((entry: { status: number }) => entry.status)).toEqual([429, 429, 200]);
    expect(log[0]).toMatchObject({
      method: "GET",
      path: "/v1/partner/token-pools",
      partnerKeyPrefix: sandbox.partner.secretKey.slice(0, 16),
      receivedAtMs: expect.any(Number),
    });
  });

  it("forces 402 on the next submits without recording them", async () => {
    await control(sandbox.url, "POST", "faults", { force402: { count: 1 } });
    const forced = await submit("order_1");
    expect(forced.status).toBe(402);
    expect(forced.json.code).toBe("INSUFFICIENT_POOL");
    expect(
      (await control(sandbox.url, "GET", `actions?partnerId=${sandbox.partner.partnerId}`)).json
        .actions,
    ).toEqual([]);
    expect((await submit("order_1")).status).toBe(200);
  });

  it("answers 500 for every request at errorRate 1 and recovers when faults are cleared", async () => {
    await control(sandbox.url, "POST", "faults", { errorRate: 1 });
    for (let index = 0; index < 5; index += 1) {
      const response = await submit(`order_${index}`);
      expect(response.status).toBe(500);
      expect(response.json.code).toBe("SERVER");
    }
    expect(
      (await control(sandbox.url, "GET", `actions?partnerId=${sandbox.partner.partnerId}`)).json
        .actions,
    ).toEqual([]);
    const cleared = await control(sandbox.url, "DELETE", "faults");
    expect(cleared.json).toEqual({
      latencyMs: 0,
      errorRate: 0,
      outage: false,
      force429: null,
      force402: { count: 0 },
    });
    expect((await submit("order_1")).status).toBe(200);
  });

  it("merges fault settings and rejects invalid ones without changing anything", async () => {
    await control(sandbox.url, "POST", "faults", { latencyMs: 5 });
    await control(sandbox.url, "POST", "faults", { errorRate: 0.25 });
    const rejected = await control(sandbox.url, "POST", "faults", { latencyMs: 10, errorRate: 2 });
    expect(rejected.status).toBe(400);
    const current = await control(sandbox.url, "GET", "faults");
    expect(current.json).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
  });
});
