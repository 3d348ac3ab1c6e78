import { describe, expect, it } from "vitest";
import { serializeJson, JsonNumberText } from "./json-body";
import { buildSignedHeaders, sha256Hex, signRequest, unixSecondsString } from "./signing";

const HMAC_SECRET = "0123456789abcdef".repeat(4);
const TIMESTAMP = "1746876000";
const SUBMIT_BODY = '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99}';

describe("signRequest (documented vectors)", () => {
  it("signs a GET with a query string and no body", () => {
    const signature = signRequest({
      hmacSecret: HMAC_SECRET,
      timestamp: TIMESTAMP,
      method: "GET",
      pathWithQuery: "/v1/partner/users?page=1&limit=20",
      body: "",
    });
    expect(signature).toBe("1037c123fac712b9f27235ee013047e2acd4044a089ec1c0561b2fe0329406a2");
  });

  it("signs a POST body", () => {
    const signature = signRequest({
      hmacSecret: HMAC_SECRET,
      timestamp: TIMESTAMP,
      method: "POST",
      pathWithQuery: "/v1/partner/actions/submit",
      body: SUBMIT_BODY,
    });
    expect(signature).toBe("1e7609a912e194ac5bf527ec8ff2420d95a7a13cab69d6ec33c31b1fa1e6fa02");
  });

  it("gives the same signature for the body as bytes and as text", () => {
    const input = {
      hmacSecret: HMAC_SECRET,
      timestamp: TIMESTAMP,
      method: "post",
      pathWithQuery: "/v1/partner/actions/submit",
    };
    const fromBytes = signRequest({ ...input, body: new TextEncoder().encode(SUBMIT_BODY) });
    expect(fromBytes).toBe("1e7609a912e194ac5bf527ec8ff2420d95a7a13cab69d6ec33c31b1fa1e6fa02");
    expect(signRequest({ ...input, body: SUBMIT_BODY })).toBe(fromBytes);
  });

  it("reproduces the vector body from a decimal-string amount", () => {
    const body = serializeJson({
      idempotencyKey: "order_98765",
      actionType: "PURCHASE",
      amount: new JsonNumberText("49.99"),
    });
    expect(body).toBe(SUBMIT_BODY);
  });

  it("changes when any signed part changes", () => {
    const base = {
      hmacSecret: HMAC_SECRET,
      timestamp: TIMESTAMP,
      method: "POST",
      pathWithQuery: "/v1/partner/actions/submit",
      body: SUBMIT_BODY,
    };
    const original = signRequest(base);
    expect(signRequest({ ...base, timestamp: "1746876001" })).not.toBe(original);
    expect(signRequest({ ...base, pathWithQuery: "/v1/partner/actions/bulk" })).not.toBe(original);
    expect(signRequest({ ...base, body: SUBMIT_BODY.replace("49.99", "49.990") })).not.toBe(
      original,
    );
    expect(signRequest({ ...base, hmacSecret: HMAC_SECRET.toUpperCase() })).not.toBe(original);
  });
});

describe("sha256Hex", () => {
  it("hashes the empty body", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("buildSignedHeaders", () => {
  it("adds Content-Type only when there is a body", () => {
    const common = {
      partnerKey: "sk_test_abc",
      hmacSecret: HMAC_SECRET,
      timestamp: TIMESTAMP,
      pathWithQuery: "/v1/partner/users?page=1&limit=20",
    };
    expect(buildSignedHeaders({ ...common, method: "GET", body: "" })).toEqual({
      "X-Partner-Key": "sk_test_abc",
      "X-Timestamp": TIMESTAMP,
      "X-Signature": "1037c123fac712b9f27235ee013047e2acd4044a089ec1c0561b2fe0329406a2",
    });
    const post = buildSignedHeaders({ ...common, method: "POST", body: "{}" });
    expect(post["Content-Type"]).toBe("application/json");
  });
});

describe("unixSecondsString", () => {
  it("floors milliseconds to whole seconds", () => {
    expect(unixSecondsString(1_746_876_000_999)).toBe("1746876000");
  });
});
