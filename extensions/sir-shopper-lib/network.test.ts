import { afterEach, describe, expect, it, vi } from "vitest";
import { SHOPPER_API } from "../../app/shopper/contract";
import {
  buildTimeAppUrl,
  getFromApp,
  normalizeAppUrl,
  orderRewardPath,
  parseAccountAnswer,
  parseOrderRewardAnswer,
} from "./network";

const reward = {
  state: "earned",
  unit: { one: "token", other: "tokens" },
  estimatedUnits: 50,
  awardedUnits: 50,
  reversedUnits: 30,
  owedUnits: 0,
  balanceUrl: null,
};

const ok = (body: unknown, status = 200) =>
  vi.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe("getFromApp", () => {
  afterEach(() => vi.useRealTimers());

  it("GETs the app with the session token as a bearer and parses the answer", async () => {
    const fetchImpl = ok(reward);
    const answer = await getFromApp({
      appUrl: "https://app.example",
      path: orderRewardPath(
        SHOPPER_API.orderReward,
        "gid://shopify/OrderIdentity/820982911946154508",
      )!,
      token: async () => "tok",
      parse: parseOrderRewardAnswer,
      fetchImpl,
    });
    expect(answer).toEqual(reward);
    const [url, init] = (fetchImpl as unknown as ReturnType<typeof vi.fn>).mock.calls[0];
    expect(url).toBe("https://app.example/api/shopper/orders/820982911946154508/reward");
    expect(init.headers.Authorization).toBe("Bearer tok");
    expect(init.method).toBe("GET");
  });

  it("non-200, a thrown fetch, a failed token, a bad body, no app URL: null (said as 'on its way')", async () => {
    const base = { path: "/x", token: async () => "tok", parse: parseOrderRewardAnswer };
    expect(
      await getFromApp({ ...base, appUrl: "https://a", fetchImpl: ok(reward, 503) }),
    ).toBeNull();
    expect(
      await getFromApp({ ...base, appUrl: "https://a", fetchImpl: ok(reward, 401) }),
    ).toBeNull();
    const thrown = vi.fn(async () => {
      throw new TypeError("network");
    }) as unknown as typeof fetch;
    expect(await getFromApp({ ...base, appUrl: "https://a", fetchImpl: thrown })).toBeNull();
    expect(
      await getFromApp({
        ...base,
        appUrl: "https://a",
        token: async () => {
          throw new Error("no token");
        },
        fetchImpl: ok(reward),
      }),
    ).toBeNull();
    expect(
      await getFromApp({ ...base, appUrl: "https://a", fetchImpl: ok({ state: "earned" }) }),
    ).toBeNull();
    const notJson = vi.fn(
      async () => new Response("<html>", { status: 200 }),
    ) as unknown as typeof fetch;
    expect(await getFromApp({ ...base, appUrl: "https://a", fetchImpl: notJson })).toBeNull();
    const never = ok(reward);
    expect(await getFromApp({ ...base, appUrl: null, fetchImpl: never })).toBeNull();
    expect(never).not.toHaveBeenCalled();
  });

  it("a hanging app: null after the timeout, and the request is aborted", async () => {
    let signal: AbortSignal | undefined;
    const hanging = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>(() => {
          signal = init.signal ?? undefined;
        }),
    ) as unknown as typeof fetch;
    const started = Date.now();
    const answer = await getFromApp({
      appUrl: "https://a",
      path: "/x",
      token: async () => "tok",
      parse: parseOrderRewardAnswer,
      fetchImpl: hanging,
      timeoutMs: 50,
    });
    expect(answer).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(signal?.aborted).toBe(true);
  });
});

describe("paths and URLs", () => {
  it("order ids: numeric, Order gid, OrderIdentity gid", () => {
    const t = SHOPPER_API.orderReward;
    expect(orderRewardPath(t, "123")).toBe("/api/shopper/orders/123/reward");
    expect(orderRewardPath(t, "gid://shopify/Order/456")).toBe("/api/shopper/orders/456/reward");
    expect(orderRewardPath(t, "")).toBeNull();
  });

  it("the app URL: absolute http(s) without a trailing slash; from the build's environment", () => {
    expect(normalizeAppUrl("https://app.example/")).toBe("https://app.example");
    expect(normalizeAppUrl(" https://app.example/base ")).toBe("https://app.example/base");
    expect(normalizeAppUrl("app.example")).toBeNull();
    expect(normalizeAppUrl(undefined)).toBeNull();
    vi.stubEnv("APP_URL", "");
    vi.stubEnv("SHOPIFY_APP_URL", "https://prod.example/");
    expect(buildTimeAppUrl()).toBe("https://prod.example");
    vi.stubEnv("APP_URL", "https://tunnel.example");
    expect(buildTimeAppUrl()).toBe("https://tunnel.example");
    vi.unstubAllEnvs();
  });
});

describe("answers are read by the contract's shape", () => {
  it("order reward: a wrong field type is unreadable", () => {
    expect(parseOrderRewardAnswer(reward)).toEqual(reward);
    expect(parseOrderRewardAnswer({ ...reward, state: "paid" })).toBeNull();
    expect(parseOrderRewardAnswer({ ...reward, awardedUnits: "50" })).toBeNull();
    expect(parseOrderRewardAnswer({ ...reward, unit: "tokens" })).toBeNull();
    expect(parseOrderRewardAnswer(null)).toBeNull();
  });

  it("account: an unreadable history row is skipped, the rest kept", () => {
    const body = {
      unit: { one: "token", other: "tokens" },
      balance: 10,
      owedUnits: null,
      history: [
        { orderName: "#1", date: "2026-11-01", awardedUnits: 5, reversedUnits: 0, state: "earned" },
        { orderName: 2, date: "2026-11-02", awardedUnits: 5, reversedUnits: 0, state: "earned" },
      ],
    };
    const answer = parseAccountAnswer(body);
    expect(answer?.history).toHaveLength(1);
    expect(parseAccountAnswer({ ...body, balance: "10" })).toBeNull();
    expect(parseAccountAnswer({ ...body, history: null })).toBeNull();
  });
});
