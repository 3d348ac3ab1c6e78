import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createSirClient, type SirClientOptions } from "./client";
import { SirError } from "./errors";
import { signRequest } from "./signing";
import {
  refusedBaseUrl,
  sendJson,
  startTestServer,
  type RecordedRequest,
  type TestServer,
} from "./test-server";
import type { SubmitActionInput } from "./types";

const SECRET_KEY = `sk_test_${"c".repeat(64)}`;
const PUBLIC_KEY = "pk_test_widget0123456789";
const HMAC_SECRET = "0123456789abcdef".repeat(4);
const START_MS = 1_746_876_000_000;

const SUBMIT_INPUT: SubmitActionInput = {
  idempotencyKey: "order_98765",
  actionType: "PURCHASE",
  amount: "49.99",
  currency: "USD",
  stakeholders: [
    {
      stakeholderTypeCode: "CUSTOMER",
      partnerUserId: "user_42",
      userEmail: "customer@example.com",
      userFirstName: "Jane",
      userLastName: "Doe",
    },
  ],
  autoCreateUsers: true,
  metadata: { orderId: "98765", channel: "web" },
};

const SUBMIT_BODY =
  '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99,"currency":"USD",' +
  '"stakeholders":[{"stakeholderTypeCode":"CUSTOMER","partnerUserId":"user_42",' +
  '"userEmail":"customer@example.com","userFirstName":"Jane","userLastName":"Doe"}],' +
  '"autoCreateUsers":true,"metadata":{"orderId":"98765","channel":"web"}}';

const SUBMIT_RESPONSE = {
  actionId: "65f1a",
  idempotencyKey: "order_98765",
  status: "COMPLETED",
  tokensDistributed: 50,
  transactionIds: ["65f2b"],
};

type Reply = (request: RecordedRequest, response: ServerResponse) => void;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Answers the n-th request with the n-th reply; the last reply repeats. */
async function serve(...replies: Reply[]): Promise<TestServer> {
  let count = 0;
  const server = await startTestServer((request, response) => {
    const reply = replies[Math.min(count, replies.length - 1)];
    count += 1;
    reply(request, response);
  });
  servers.push(server);
  return server;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_request, response) =>
    sendJson(response, status, body, headers);

const raw =
  (status: number, text: string, contentType = "text/html"): Reply =>
  (_request, response) => {
    response.writeHead(status, { "Content-Type": contentType });
    response.end(text);
  };

const never: Reply = () => undefined;

interface LogEntry {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function harness(baseUrl: string, overrides: Partial<SirClientOptions> = {}) {
  const clock = { now: START_MS };
  const delays: number[] = [];
  const logs: LogEntry[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    logs.push({ level, fields, message });
  const client = createSirClient({
    baseUrl,
    publicKey: PUBLIC_KEY,
    secretKey: SECRET_KEY,
    hmacSecret: HMAC_SECRET,
    now: () => clock.now,
    sleep: async (ms) => {
      delays.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn") },
    ...overrides,
  });
  return { client, clock, delays, logs };
}

/** What SIR does: recompute the signature from the raw bytes received. */
function hasValidSignature(request: RecordedRequest): boolean {
  const expected = signRequest({
    hmacSecret: HMAC_SECRET,
    timestamp: String(request.headers["x-timestamp"]),
    method: request.method,
    pathWithQuery: request.url,
    body: request.body,
  });
  return request.headers["x-signature"] === expected;
}

async function rejection(promise: Promise<unknown>): Promise<SirError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SirError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("signed requests", () => {
  it("sends the documented headers and signs exactly the bytes it sends", async () => {
    const server = await serve(json(200, SUBMIT_RESPONSE));
    const { client } = harness(server.baseUrl);

    const result = await client.submitAction(SUBMIT_INPUT);

    expect(result).toEqual({ action: SUBMIT_RESPONSE, replayed: false });
    const [request] = server.requests;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/partner/actions/submit");
    expect(request.headers["x-partner-key"]).toBe(SECRET_KEY);
    expect(request.headers["x-timestamp"]).toBe("1746876000");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body.toString("utf8")).toBe(SUBMIT_BODY);
    expect(hasValidSignature(request)).toBe(true);
  });

  it("emits the decimal amount verbatim, even beyond float precision", async () => {
    const server = await serve(json(200, SUBMIT_RESPONSE));
    const { client } = harness(server.baseUrl);

    await client.submitAction({ ...SUBMIT_INPUT, amount: "12345678901234567.10" });

    expect(server.requests[0].body.toString("utf8")).toContain('"amount":12345678901234567.10,');
    expect(hasValidSignature(server.requests[0])).toBe(true);
  });

  it("rejects amounts that are not decimal strings without contacting SIR", async () => {
    const server = await serve(json(200, SUBMIT_RESPONSE));
    const { client } = harness(server.baseUrl);
    for (const amount of ["49,99", "-1", "1e2", "049.99", ""]) {
      const error = await rejection(client.submitAction({ ...SUBMIT_INPUT, amount }));
      expect(error.code).toBe("VALIDATION");
    }
    expect(server.requests).toHaveLength(0);
  });

  it("signs a GET with an encoded id and a query string, without Content-Type", async () => {
    const server = await serve(json(200, { deliveries: [{ id: "d1", status: "FAILED" }] }));
    const { client } = harness(server.baseUrl);

    const deliveries = await client.listWebhookDeliveries("wh 1/2", { limit: 20 });

    expect(deliveries).toEqual([{ id: "d1", status: "FAILED" }]);
    const [request] = server.requests;
    expect(request.url).toBe("/v1/partner/webhooks/wh%201%2F2/deliveries?limit=20");
    expect(request.headers["content-type"]).toBeUndefined();
    expect(request.body.length).toBe(0);
    expect(hasValidSignature(request)).toBe(true);
  });

  it("signs with the sk_ value when there is no HMAC secret (legacy keys)", async () => {
    const server = await serve(json(200, []));
    const { client } = harness(server.baseUrl, { hmacSecret: undefined });

    await client.listTokenPools();

    const [request] = server.requests;
    const expected = signRequest({
      hmacSecret: SECRET_KEY,
      timestamp: "1746876000",
      method: "GET",
      pathWithQuery: "/v1/partner/token-pools",
      body: "",
    });
    expect(request.headers["x-signature"]).toBe(expected);
  });

  it("re-signs each retry with a fresh timestamp over identical body bytes", async () => {
    const server = await serve(
      json(503, { message: "busy" }, { "Retry-After": "2" }),
      json(200, SUBMIT_RESPONSE),
    );
    const { client } = harness(server.baseUrl);

    await client.submitAction(SUBMIT_INPUT);

    const [first, second] = server.requests;
    expect(second.body.equals(first.body)).toBe(true);
    expect(first.headers["x-timestamp"]).toBe("1746876000");
    expect(second.headers["x-timestamp"]).toBe("1746876002");
    expect(second.headers["x-signature"]).not.toBe(first.headers["x-signature"]);
    expect(hasValidSignature(first)).toBe(true);
    expect(hasValidSignature(second)).toBe(true);
  });

  it("refuses ids that URL parsing would rewrite", async () => {
    const server = await serve(json(200, {}));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.getAction(".."));
    expect(error.code).toBe("VALIDATION");
    expect(server.requests).toHaveLength(0);
  });
});

describe("widget requests", () => {
  it("send only the publishable key, unsigned", async () => {
    const config = {
      id: "p1",
      name: "Shop",
      slug: "shop",
      enabledFeatures: ["DONATIONS", "ACTIONS"],
      rateLimit: 100,
      isActive: true,
      webhookUrl: null,
      tipConfig: { enabled: true, defaultPercent: 10 },
    };
    const server = await serve(json(200, config));
    const { client } = harness(server.baseUrl);

    expect(await client.getPartnerConfig()).toEqual(config);

    const [request] = server.requests;
    expect(request.headers["x-partner-key"]).toBe(PUBLIC_KEY);
    expect(request.headers["x-signature"]).toBeUndefined();
    expect(request.headers["x-timestamp"]).toBeUndefined();
  });

  it("create a donation link with integer cents and the assumed returnUrl", async () => {
    const server = await serve(
      json(200, { donationLink: "https://pay/x", partnerDonationId: "pd1" }),
    );
    const { client } = harness(server.baseUrl);

    const link = await client.createDonationLink({
      nonprofitSlug: "american-red-cross",
      amountCents: 2500,
      currency: "USD",
      frequency: "once",
      provider: "stripe",
      donorEmail: "jane@example.com",
      firstName: "Jane",
      lastName: "Doe",
      returnUrl: "https://shop.example/thanks",
    });

    expect(link).toEqual({ donationLink: "https://pay/x", partnerDonationId: "pd1" });
    const [request] = server.requests;
    expect(request.headers["x-partner-key"]).toBe(PUBLIC_KEY);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-signature"]).toBeUndefined();
    expect(JSON.parse(request.body.toString("utf8"))).toEqual({
      nonprofitSlug: "american-red-cross",
      amount: 2500,
      currency: "USD",
      frequency: "once",
      provider: "stripe",
      donorEmail: "jane@example.com",
      firstName: "Jane",
      lastName: "Doe",
      returnUrl: "https://shop.example/thanks",
    });
  });

  it("normalizes organization field names", async () => {
    const server = await serve(
      json(200, { _id: "o1", name: "Red Cross", logoUrl: "https://l", EIN: "53-0196605" }),
    );
    const { client } = harness(server.baseUrl);

    const organization = await client.getOrganization("american-red-cross");

    expect(server.requests[0].url).toBe("/v1/partner/organizations/american-red-cross");
    expect(organization).toMatchObject({
      id: "o1",
      name: "Red Cross",
      logo: "https://l",
      ein: "53-0196605",
      status: null,
    });
  });
});

describe("missing credentials", () => {
  it("fail with VALIDATION without contacting SIR", async () => {
    const server = await serve(json(200, {}));
    const noSecret = harness(server.baseUrl, { secretKey: undefined }).client;
    const noPublic = harness(server.baseUrl, { publicKey: undefined }).client;
    const swapped = harness(server.baseUrl, { secretKey: PUBLIC_KEY }).client;

    for (const call of [
      () => noSecret.submitAction(SUBMIT_INPUT),
      () => noPublic.getPartnerConfig(),
      () => swapped.listWebhooks(),
    ]) {
      const error = await rejection(call());
      expect(error.code).toBe("VALIDATION");
      expect(error.status).toBeNull();
      expect(error.message).toMatch(/needs a (secret|publishable) key/);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("idempotent replays", () => {
  it("turn a 409 on submit into success with the original response", async () => {
    const server = await serve(json(409, SUBMIT_RESPONSE));
    const { client } = harness(server.baseUrl);

    expect(await client.submitAction(SUBMIT_INPUT)).toEqual({
      action: SUBMIT_RESPONSE,
      replayed: true,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("turn a 409 on reverse into success and send the percentage as a number", async () => {
    const reversal = {
      reversalTransactionId: "rt1",
      tokensClawedBack: 35,
      debtsCreated: 1,
      breakdown: [{ stakeholderTypeCode: "CUSTOMER", expected: 50, clawedBack: 35, debt: 15 }],
    };
    const server = await serve(json(409, reversal));
    const { client } = harness(server.baseUrl);

    const result = await client.reverseAction("65f1a", {
      reversalPercentage: "33.33",
      reason: "Order refunded",
      refundIdempotencyKey: "refund_1",
    });

    expect(result).toEqual({ reversal, replayed: true });
    expect(server.requests[0].url).toBe("/v1/partner/actions/65f1a/reverse");
    expect(server.requests[0].body.toString("utf8")).toBe(
      '{"reversalPercentage":33.33,"reason":"Order refunded","refundIdempotencyKey":"refund_1"}',
    );
  });

  it("report a 409 without the original response as IDEMPOTENT", async () => {
    const server = await serve(json(409, { statusCode: 409, message: "Conflict" }));
    const { client } = harness(server.baseUrl);

    const error = await rejection(client.submitAction(SUBMIT_INPUT));

    expect(error.code).toBe("IDEMPOTENT");
    expect(error.status).toBe(409);
    expect(server.requests).toHaveLength(1);
  });

  it("reject reversal percentages outside (0, 100] or with 3 decimals", async () => {
    const server = await serve(json(200, {}));
    const { client } = harness(server.baseUrl);
    for (const reversalPercentage of ["0", "0.00", "100.01", "150", "33.333", "abc", "-5"]) {
      const error = await rejection(
        client.reverseAction("a1", { reversalPercentage, reason: "r", refundIdempotencyKey: "k" }),
      );
      expect(error.code).toBe("VALIDATION");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("errors that are not retried", () => {
  it("402 → INSUFFICIENT_POOL, once", async () => {
    const server = await serve(
      json(402, { statusCode: 402, message: "Token pool is empty", error: "Payment Required" }),
    );
    const { client, delays } = harness(server.baseUrl);

    const error = await rejection(client.submitAction(SUBMIT_INPUT));

    expect(error).toMatchObject({
      code: "INSUFFICIENT_POOL",
      status: 402,
      retryable: false,
      requestPath: "/v1/partner/actions/submit",
    });
    expect(error.message).toContain("Token pool is empty");
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("403 with INSUFFICIENT_SCOPE → INSUFFICIENT_SCOPE, once", async () => {
    const server = await serve(
      json(403, {
        statusCode: 403,
        code: "INSUFFICIENT_SCOPE",
        message: "actions:reverse scope required",
        error: "Forbidden",
      }),
    );
    const { client } = harness(server.baseUrl);

    const error = await rejection(
      client.reverseAction("a1", {
        reversalPercentage: "100",
        reason: "refund",
        refundIdempotencyKey: "refund_a1",
      }),
    );

    expect(error).toMatchObject({ code: "INSUFFICIENT_SCOPE", status: 403, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("401 → UNAUTHORIZED, once", async () => {
    const server = await serve(json(401, { statusCode: 401, message: "Invalid signature" }));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.listTokenPools());
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(server.requests).toHaveLength(1);
  });

  it("5xx on a non-idempotent POST is not repeated", async () => {
    const server = await serve(json(500, { message: "boom" }), json(200, {}));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.requestAllocation({ amount: 500000, reason: "Q4" }));
    expect(error).toMatchObject({ code: "SERVER", status: 500, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it("a redirect is neither followed nor retried", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(302, { Location: "http://127.0.0.1:1/elsewhere" });
      response.end();
    });
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.listWebhooks());
    expect(error).toMatchObject({ code: "SERVER", status: 302, retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  it("retries 5xx with jittered exponential backoff, then succeeds", async () => {
    const server = await serve(
      json(500, { message: "boom" }),
      raw(502, "<html>Bad Gateway</html>"),
      json(200, SUBMIT_RESPONSE),
    );
    const { client, delays } = harness(server.baseUrl);

    const result = await client.submitAction(SUBMIT_INPUT);

    expect(result.replayed).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([100, 200]); // random 0.5 × 200 ms, × 400 ms
  });

  it("gives up after maxAttempts with the last SERVER error", async () => {
    const server = await serve(json(503, { message: "down" }));
    const { client, delays } = harness(server.baseUrl);

    const error = await rejection(client.getTokenPoolBalance("pool_1"));

    expect(error).toMatchObject({ code: "SERVER", status: 503 });
    expect(server.requests).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it("never retries a 429 before Retry-After (seconds)", async () => {
    const server = await serve(
      json(429, { message: "Too Many Requests" }, { "Retry-After": "3" }),
      json(200, SUBMIT_RESPONSE),
    );
    const { client, delays } = harness(server.baseUrl, { random: () => 0 });

    await client.submitAction(SUBMIT_INPUT);

    expect(delays).toEqual([3000]);
    expect(server.requests).toHaveLength(2);
    expect(Number(server.requests[1].headers["x-timestamp"])).toBe(START_MS / 1000 + 3);
  });

  it("honours an HTTP-date Retry-After, even for a non-idempotent call", async () => {
    const retryAt = new Date(START_MS + 5000).toUTCString();
    const server = await serve(
      json(429, {}, { "Retry-After": retryAt }),
      json(200, { donationLink: "https://pay/x", partnerDonationId: "pd1" }),
    );
    const { client, delays } = harness(server.baseUrl, { random: () => 0.999 });

    await client.createDonationLink({
      nonprofitSlug: "red-cross",
      amountCents: 100,
      currency: "USD",
      frequency: "monthly",
      provider: "every.org",
      donorEmail: "a@b.c",
      firstName: "A",
      lastName: "B",
    });

    expect(delays).toEqual([5000]);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a Retry-After beyond the policy, reporting when to come back", async () => {
    const server = await serve(json(429, {}, { "Retry-After": "120" }));
    const { client, delays } = harness(server.baseUrl);

    const error = await rejection(client.getActiveCampaign());

    expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429, retryAfterMs: 120_000 });
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow attempt as TIMEOUT and retries it when safe", async () => {
    const server = await serve(never);
    const { client } = harness(server.baseUrl, { timeoutMs: 50, retry: { maxAttempts: 2 } });

    const error = await rejection(client.getPartnerConfig());

    expect(error).toMatchObject({ code: "TIMEOUT", status: null, retryable: true });
    expect(error.message).toContain("50 ms");
    expect(server.requests).toHaveLength(2);
  });

  it("does not repeat a timed-out non-idempotent POST", async () => {
    const server = await serve(never);
    const { client } = harness(server.baseUrl, { timeoutMs: 50 });

    const error = await rejection(
      client.registerWebhook({
        url: "https://app.example/webhooks/sir",
        eventTypes: ["action.completed"],
        receiveAllEvents: false,
      }),
    );

    expect(error.code).toBe("TIMEOUT");
    expect(server.requests).toHaveLength(1);
  });

  it("reports a refused connection as NETWORK and retries even a non-idempotent POST", async () => {
    const baseUrl = await refusedBaseUrl();
    const { client, delays } = harness(baseUrl);

    const error = await rejection(client.requestAllocation({ amount: 1000, reason: "top up" }));

    expect(error).toMatchObject({ code: "NETWORK", status: null, retryable: true });
    expect(error.message).toContain("ECONNREFUSED");
    expect(delays).toHaveLength(3);
  });
});

describe("rate-limit headers", () => {
  const limits = (remaining: string, reset: string) => ({
    "X-RateLimit-Limit": "100",
    "X-RateLimit-Remaining": remaining,
    "X-RateLimit-Reset": reset,
  });

  it("do not slow down while plenty remains", async () => {
    const server = await serve(json(200, [], limits("50", "60")));
    const { client, delays } = harness(server.baseUrl);
    await client.listTokenPools();
    await client.listTokenPools();
    expect(delays).toEqual([]);
  });

  it("spread the last 10 % of the budget until the reset", async () => {
    const server = await serve(json(200, [], limits("5", "10")));
    const { client, delays, logs } = harness(server.baseUrl);

    await client.listTokenPools();
    await client.listTokenPools();

    expect(delays).toEqual([2000]); // 10 s over 5 remaining calls
    expect(logs.some((entry) => entry.level === "info" && entry.fields.delayMs === 2000)).toBe(
      true,
    );
  });

  it("wait for the reset (epoch seconds) when nothing remains", async () => {
    const resetEpoch = String(START_MS / 1000 + 30);
    const server = await serve(json(200, [], limits("0", resetEpoch)), json(200, []));
    const { client, delays } = harness(server.baseUrl);

    await client.listTokenPools();
    await client.listTokenPools();

    expect(delays).toEqual([30_000]);
  });

  it("fail fast with RATE_LIMITED when the reset is beyond the policy", async () => {
    const server = await serve(json(200, [], limits("0", "3600")));
    const { client, delays } = harness(server.baseUrl);

    await client.listTokenPools();
    const error = await rejection(client.listTokenPools());

    expect(error).toMatchObject({ code: "RATE_LIMITED", status: null, retryAfterMs: 3_600_000 });
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("are tracked separately for the publishable key", async () => {
    const server = await serve(json(200, [], limits("0", "30")), json(200, { status: "PENDING" }));
    const { client, delays } = harness(server.baseUrl);

    await client.listTokenPools();
    await client.getDonationStatus("pd1");

    expect(delays).toEqual([]);
  });
});

describe("defensive parsing", () => {
  it("maps an HTML 502 page to SERVER without echoing the HTML", async () => {
    const server = await serve(raw(502, "<html><h1>502 Bad Gateway</h1></html>"));
    const { client } = harness(server.baseUrl, { retry: { maxAttempts: 1 } });
    const error = await rejection(client.listWebhooks());
    expect(error).toMatchObject({ code: "SERVER", status: 502 });
    expect(error.message).not.toContain("<html>");
  });

  it("maps an empty 400 to VALIDATION", async () => {
    const server = await serve(raw(400, "", "application/json"));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.listWebhooks());
    expect(error).toMatchObject({ code: "VALIDATION", status: 400 });
  });

  it("joins an array message into the error", async () => {
    const server = await serve(
      json(400, {
        statusCode: 400,
        message: ["amount must be a positive number", "currency must be a string"],
        error: "Bad Request",
      }),
    );
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.submitAction(SUBMIT_INPUT));
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toContain("amount must be a positive number; currency must be a string");
  });

  it("treats a 200 that is not JSON as SERVER, not retried", async () => {
    const server = await serve(raw(200, "<html>maintenance</html>"));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.listTokenPools());
    expect(error).toMatchObject({ code: "SERVER", status: 200, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("treats a success with the wrong shape as SERVER", async () => {
    const server = await serve(json(200, { ok: true }));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.submitAction(SUBMIT_INPUT));
    expect(error).toMatchObject({ code: "SERVER", retryable: false });
  });
});

describe("reads", () => {
  it("getAction accepts _id and keeps unknown fields", async () => {
    const server = await serve(
      json(200, { _id: "65f1a", status: "REVERSED", tokensDistributed: 50, reversedPercent: 100 }),
    );
    const { client } = harness(server.baseUrl);
    const action = await client.getAction("65f1a");
    expect(action).toMatchObject({ actionId: "65f1a", status: "REVERSED", reversedPercent: 100 });
    expect(server.requests[0].url).toBe("/v1/partner/actions/65f1a");
  });

  it("listTokenPools accepts { pools } and a bare array", async () => {
    const pools = [{ _id: "p1", name: "Main", availableBalance: 1000 }];
    const server = await serve(json(200, { pools }), json(200, pools));
    const { client } = harness(server.baseUrl);
    const expected = [{ _id: "p1", id: "p1", name: "Main", availableBalance: 1000 }];
    expect(await client.listTokenPools()).toEqual(expected);
    expect(await client.listTokenPools()).toEqual(expected);
  });

  it("getTokenPoolBalance reads availableBalance", async () => {
    const server = await serve(json(200, { availableBalance: 420 }));
    const { client } = harness(server.baseUrl);
    expect(await client.getTokenPoolBalance("p/1")).toEqual({ availableBalance: 420 });
    expect(server.requests[0].url).toBe("/v1/partner/token-pools/p%2F1/balance");
  });

  it("getActiveCampaign returns null on 404 (any body) and on an empty body", async () => {
    const server = await serve(
      json(404, { statusCode: 404, message: "No active campaign" }),
      raw(404, "<html>Not Found</html>"),
      raw(200, "", "application/json"),
      json(200, { id: "c1", name: "Holiday 2X", status: "ACTIVE" }),
    );
    const { client } = harness(server.baseUrl);
    expect(await client.getActiveCampaign()).toBeNull();
    expect(await client.getActiveCampaign()).toBeNull();
    expect(await client.getActiveCampaign()).toBeNull();
    expect(await client.getActiveCampaign()).toEqual({
      id: "c1",
      name: "Holiday 2X",
      status: "ACTIVE",
    });
  });
});

describe("webhook subscriptions", () => {
  it("register, list, test and delete", async () => {
    const registered = {
      id: "wh1",
      url: "https://app.example/webhooks/sir",
      eventTypes: ["action.completed"],
      secret: "whsec_abc",
      isActive: true,
    };
    const server = await serve(
      json(201, registered),
      json(200, { webhooks: [{ ...registered, secret: undefined }] }),
      json(200, { delivered: true }),
      raw(204, "", "application/json"),
    );
    const { client } = harness(server.baseUrl);

    expect(
      await client.registerWebhook({
        url: registered.url,
        description: "SIR Rewards",
        eventTypes: ["action.completed"],
        receiveAllEvents: false,
      }),
    ).toEqual(registered);
    expect((await client.listWebhooks()).map((webhook) => webhook.id)).toEqual(["wh1"]);
    expect(await client.testWebhook("wh1")).toEqual({ delivered: true });
    await client.deleteWebhook("wh1");

    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /v1/partner/webhooks",
      "GET /v1/partner/webhooks",
      "POST /v1/partner/webhooks/wh1/test",
      "DELETE /v1/partner/webhooks/wh1",
    ]);
    expect(JSON.parse(server.requests[0].body.toString("utf8"))).toEqual({
      url: registered.url,
      description: "SIR Rewards",
      eventTypes: ["action.completed"],
      receiveAllEvents: false,
    });
    expect(server.requests.every(hasValidSignature)).toBe(true);
    expect(server.requests[2].body.length).toBe(0);
  });
});

describe("bulk", () => {
  const action = (n: number): SubmitActionInput => ({
    ...SUBMIT_INPUT,
    idempotencyKey: `order_${n}`,
    amount: `${n}.50`,
  });

  it("rejects more than 100 actions and an empty batch without contacting SIR", async () => {
    const server = await serve(json(200, { results: [] }));
    const { client } = harness(server.baseUrl);
    const tooMany = Array.from({ length: 101 }, (_, n) => action(n));
    expect((await rejection(client.submitBulk(tooMany))).code).toBe("VALIDATION");
    expect((await rejection(client.submitBulk([]))).code).toBe("VALIDATION");
    expect(server.requests).toHaveLength(0);
  });

  it("returns one outcome per action in input order", async () => {
    const server = await serve(
      json(200, {
        results: [
          {
            index: 1,
            status: 402,
            idempotencyKey: "order_1",
            error: { code: "INSUFFICIENT_POOL", message: "pool empty" },
          },
          {
            index: 0,
            status: 200,
            idempotencyKey: "order_0",
            result: { ...SUBMIT_RESPONSE, actionId: "a0", idempotencyKey: "order_0" },
          },
          {
            index: 2,
            status: 409,
            idempotencyKey: "order_2",
            result: { ...SUBMIT_RESPONSE, actionId: "a2", idempotencyKey: "order_2" },
          },
        ],
      }),
    );
    const { client } = harness(server.baseUrl);

    const { items } = await client.submitBulk([action(0), action(1), action(2), action(3)]);

    const body = server.requests[0].body.toString("utf8");
    expect(body.startsWith('{"actions":[{"idempotencyKey":"order_0"')).toBe(true);
    expect(body).toContain('"amount":1.50,');
    expect(hasValidSignature(server.requests[0])).toBe(true);
    expect(items.map((item) => [item.index, item.idempotencyKey, item.ok])).toEqual([
      [0, "order_0", true],
      [1, "order_1", false],
      [2, "order_2", true],
      [3, "order_3", false],
    ]);
    expect(items[0]).toMatchObject({ ok: true, replayed: false, action: { actionId: "a0" } });
    expect(items[2]).toMatchObject({ ok: true, replayed: true, action: { actionId: "a2" } });
    expect(items[1]).toMatchObject({
      ok: false,
      error: { code: "INSUFFICIENT_POOL", status: 402 },
    });
    expect(items[3]).toMatchObject({ ok: false, error: { code: "SERVER" }, sendAlone: true });
    expect(items[1]).toMatchObject({ sendAlone: false });
  });

  // The bulk endpoint and its shapes are ASSUMED: a refusal meaning "no such endpoint or shape"
  // is a typed `unavailable`, never item failures, and is not retried in the call.
  it.each([
    [
      "404 as an unknown route",
      json(404, { statusCode: 404, message: "Cannot POST /v1/partner/actions/bulk" }),
    ],
    ["405", json(405, { statusCode: 405, message: "Method Not Allowed" })],
    ["501", raw(501, "Not Implemented", "text/plain")],
    ["a 400 that names no item", json(400, { statusCode: 400, message: "items must be an array" })],
    ["a 2xx that is not JSON", raw(200, "<html>ok</html>")],
    ["a 2xx without per-item results", json(202, { jobId: "job_1", status: "PROCESSING" })],
    ["a 2xx whose items are unreadable", json(200, { results: [{ ok: true, data: {} }] })],
  ])("reads %s as bulk unavailable", async (_label, reply) => {
    const server = await serve(reply);
    const { client, delays } = harness(server.baseUrl);
    const result = await client.submitBulk([action(0), action(1)]);
    expect(result.items).toEqual([]);
    expect(result.unavailable).toMatchObject({ status: expect.any(Number) });
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("reads a 400 that names an item as: send each alone, bulk still available", async () => {
    const server = await serve(
      json(400, { statusCode: 400, message: ["actions[1].amount must be a number"] }),
    );
    const { client } = harness(server.baseUrl);
    const result = await client.submitBulk([action(0), action(1)]);
    expect(result.unavailable).toBeNull();
    expect(result.items.map((item) => !item.ok && item.sendAlone)).toEqual([true, true]);
  });

  it("keeps a retryable whole-call failure retryable (503, 429)", async () => {
    const server = await serve(json(503, { statusCode: 503, message: "down" }));
    const { client } = harness(server.baseUrl);
    const error = await rejection(client.submitBulk([action(0)]));
    expect(error).toMatchObject({ code: "SERVER", retryable: true });
  });
});

describe("logging", () => {
  it("logs method, path, status and attempt for each attempt", async () => {
    const server = await serve(json(500, {}), json(200, SUBMIT_RESPONSE));
    const { client, logs } = harness(server.baseUrl);

    await client.submitAction(SUBMIT_INPUT);

    expect(logs.map((entry) => [entry.level, entry.fields.status, entry.fields.attempt])).toEqual([
      ["debug", 500, 1],
      ["warn", 500, 1],
      ["debug", 200, 2],
    ]);
    expect(logs[0].fields).toMatchObject({ method: "POST", path: "/v1/partner/actions/submit" });
    expect(Object.keys(logs[0].fields).sort()).toEqual(
      ["attempt", "durationMs", "method", "path", "status"].sort(),
    );
  });
});
