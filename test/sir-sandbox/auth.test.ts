import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  control,
  createPartner,
  purchase,
  rawRequest,
  signedRequest,
  unixSeconds,
  widgetRequest,
  type PartnerCredentials,
} from "./test-client";
import { useSandbox, useSandboxPartner } from "./test-fixture";
import { signPartnerRequest } from "./test-signing";

const flipByte = (text: string, index: number) =>
  text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) ^ 1) + text.slice(index + 1);

describe("documented test vectors", () => {
  const vectorSecret = "0123456789abcdef".repeat(4);
  const vectorTimestamp = "1746876000";
  const sandbox = useSandbox({
    options: async () => {
      const directory = await mkdtemp(join(tmpdir(), "sir-sandbox-"));
      const seedFile = join(directory, "seed.json");
      const secretKey = `sk_test_${"a".repeat(64)}`;
      await writeFile(
        seedFile,
        JSON.stringify([{ name: "Vectors", secretKey, hmacSecret: vectorSecret }]),
      );
      return { seedFile, now: () => Number(vectorTimestamp) * 1000 };
    },
  });

  const headers = (signature: string) => ({
    "X-Partner-Key": `sk_test_${"a".repeat(64)}`,
    "X-Timestamp": vectorTimestamp,
    "X-Signature": signature,
  });

  it("our signing helper reproduces both documented signatures", () => {
    expect(
      signPartnerRequest({
        hmacSecret: vectorSecret,
        timestamp: vectorTimestamp,
        method: "GET",
        pathWithQuery: "/v1/partner/users?page=1&limit=20",
        body: "",
      }),
    ).toBe("1037c123fac712b9f27235ee013047e2acd4044a089ec1c0561b2fe0329406a2");
    expect(
      signPartnerRequest({
        hmacSecret: vectorSecret,
        timestamp: vectorTimestamp,
        method: "POST",
        pathWithQuery: "/v1/partner/actions/submit",
        body: '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99}',
      }),
    ).toBe("1e7609a912e194ac5bf527ec8ff2420d95a7a13cab69d6ec33c31b1fa1e6fa02");
  });

  it("accepts the documented GET signature", async () => {
    const response = await rawRequest(sandbox.url, {
      method: "GET",
      path: "/v1/partner/users?page=1&limit=20",
      headers: headers("1037c123fac712b9f27235ee013047e2acd4044a089ec1c0561b2fe0329406a2"),
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ users: [], total: 0, page: 1, limit: 20 });
  });

  it("accepts the documented POST signature (then validates the incomplete body)", async () => {
    const response = await rawRequest(sandbox.url, {
      method: "POST",
      path: "/v1/partner/actions/submit",
      body: '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99}',
      headers: headers("1e7609a912e194ac5bf527ec8ff2420d95a7a13cab69d6ec33c31b1fa1e6fa02"),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      statusCode: 400,
      code: "VALIDATION",
      error: "Bad Request",
    });
    expect(response.json.message).toContain("currency");
  });
});

describe("HMAC authentication", () => {
  const sandbox = useSandboxPartner({ per: "file" });

  type Tamper = { method?: string; path?: string; body?: string; timestamp?: string };

  /** A signed submit whose parts can be tampered with after signing. */
  const tamperedSubmit = () => {
    const path = "/v1/partner/actions/submit?source=test";
    const body = JSON.stringify(purchase(`order_${Math.random()}`, 49.99));
    const timestamp = unixSeconds();
    const signature = signPartnerRequest({
      hmacSecret: sandbox.partner.hmacSecret,
      timestamp,
      method: "POST",
      pathWithQuery: path,
      body,
    });
    return {
      original: { path, body, timestamp },
      send: (changes: Tamper) =>
        rawRequest(sandbox.url, {
          method: changes.method ?? "POST",
          path: changes.path ?? path,
          body: changes.body ?? body,
          headers: {
            "X-Partner-Key": sandbox.partner.secretKey,
            "X-Timestamp": changes.timestamp ?? timestamp,
            "X-Signature": signature,
            "Content-Type": "application/json",
          },
        }),
    };
  };

  it("accepts a correctly signed request", async () => {
    const request = tamperedSubmit();
    const response = await request.send({});
    expect(response.status).toBe(200);
    expect(response.json.tokensDistributed).toBe(50);
  });

  it("answers 401 when any single byte of the body is flipped", async () => {
    const request = tamperedSubmit();
    const { body } = request.original;
    for (let index = 0; index < body.length; index += 1) {
      const response = await request.send({ body: flipByte(body, index) });
      expect(response.status, `byte ${index} of the body`).toBe(401);
      expect(response.json.code).toBe("UNAUTHORIZED");
    }
  });

  it("answers 401 when any single byte of the path or query is flipped", async () => {
    const request = tamperedSubmit();
    const { path } = request.original;
    for (let index = "/v1/partner/".length; index < path.length; index += 1) {
      const response = await request.send({ path: flipByte(path, index) });
      expect(response.status, `byte ${index} of ${path}`).toBe(401);
    }
  });

  it("answers 401 when the method differs from the signed one", async () => {
    const request = tamperedSubmit();
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const response = await request.send({ method });
      expect(response.status, method).toBe(401);
    }
  });

  it("answers 401 when any digit of the timestamp is flipped", async () => {
    const request = tamperedSubmit();
    const { timestamp } = request.original;
    for (let index = 0; index < timestamp.length; index += 1) {
      const response = await request.send({ timestamp: flipByte(timestamp, index) });
      expect(response.status, `digit ${index} of the timestamp`).toBe(401);
    }
  });

  it("answers 401 beyond 300 s of clock skew either way, and accepts 299 s", async () => {
    const now = Date.now();
    for (const skewSeconds of [301, -301, 3600]) {
      const response = await signedRequest(
        sandbox.url,
        sandbox.partner,
        "GET",
        "/v1/partner/token-pools",
        undefined,
        {
          timestamp: unixSeconds(now - skewSeconds * 1000),
        },
      );
      expect(response.status, `skew ${skewSeconds}`).toBe(401);
      expect(response.json.message).toContain("300 seconds");
    }
    const response = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      "/v1/partner/token-pools",
      undefined,
      // Taken now, not at the test's start: a second boundary passed since makes 299 s into 300+.
      { timestamp: unixSeconds(Date.now() - 299_000) },
    );
    expect(response.status).toBe(200);
  });

  it("answers 401 for an unknown key, a missing key and a malformed signature", async () => {
    const unknown = await signedRequest(
      sandbox.url,
      { ...sandbox.partner, secretKey: `sk_test_${"0".repeat(64)}` },
      "GET",
      "/v1/partner/token-pools",
    );
    expect(unknown.status).toBe(401);
    const missing = await rawRequest(sandbox.url, {
      method: "GET",
      path: "/v1/partner/token-pools",
    });
    expect(missing.status).toBe(401);
    const malformed = await rawRequest(sandbox.url, {
      method: "GET",
      path: "/v1/partner/token-pools",
      headers: {
        "X-Partner-Key": sandbox.partner.secretKey,
        "X-Timestamp": unixSeconds(),
        "X-Signature": "zz",
      },
    });
    expect(malformed.status).toBe(401);
  });

  it("answers 404 for an unknown route only after a valid signature", async () => {
    const response = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "GET",
      "/v1/partner/no-such-thing",
    );
    expect(response.status).toBe(404);
    expect(response.json.code).toBe("NOT_FOUND");
  });

  it("refuses a publishable key on secret-key and HMAC read endpoints with 403", async () => {
    for (const [method, path] of [
      ["POST", "/v1/partner/actions/submit"],
      ["GET", "/v1/partner/token-pools"],
      ["GET", "/v1/partner/campaigns/active"],
    ]) {
      const response = await signedRequest(
        sandbox.url,
        sandbox.partner,
        method,
        path,
        method === "POST" ? purchase("pk_try", 1) : undefined,
        {
          partnerKey: sandbox.partner.publicKey,
        },
      );
      expect(response.status, path).toBe(403);
      expect(response.json.message).toContain("pk_");
    }
    const actions = await control(
      sandbox.url,
      "GET",
      `actions?partnerId=${sandbox.partner.partnerId}`,
    );
    expect(
      actions.json.actions.map((action: { idempotencyKey: string }) => action.idempotencyKey),
    ).not.toContain("pk_try");
  });

  it("refuses a secret key on widget endpoints with 403", async () => {
    const response = await widgetRequest(
      sandbox.url,
      sandbox.partner.secretKey,
      "GET",
      "/v1/partner/config",
    );
    expect(response.status).toBe(403);
    expect(response.json.code).toBe("INSUFFICIENT_SCOPE");
  });

  it("answers 403 INSUFFICIENT_SCOPE when the key lacks the route's scope", async () => {
    const limited = await control(
      sandbox.url,
      "POST",
      `partners/${sandbox.partner.partnerId}/keys`,
      { scopes: ["actions:write", "actions:read"] },
    );
    expect(limited.status).toBe(201);
    const keys = limited.json as PartnerCredentials;
    const submitted = await signedRequest(
      sandbox.url,
      keys,
      "POST",
      "/v1/partner/actions/submit",
      purchase("scoped_1", 10),
    );
    expect(submitted.status).toBe(200);
    const reversed = await signedRequest(
      sandbox.url,
      keys,
      "POST",
      `/v1/partner/actions/${submitted.json.actionId}/reverse`,
      {
        reversalPercentage: 100,
        reason: "refund",
        refundIdempotencyKey: "refund_scoped_1",
      },
    );
    expect(reversed.status).toBe(403);
    expect(reversed.json).toEqual({
      statusCode: 403,
      message: "This API key lacks the actions:reverse scope",
      error: "Forbidden",
      code: "INSUFFICIENT_SCOPE",
    });
    const pools = await signedRequest(sandbox.url, keys, "GET", "/v1/partner/token-pools");
    expect(pools.status).toBe(403);
    expect(pools.json.code).toBe("INSUFFICIENT_SCOPE");
  });

  it("signs legacy keys without an HMAC secret with the secret key itself", async () => {
    const legacy = await createPartner(sandbox.url, { hmacSecret: null });
    expect(legacy.hmacSecret).toBeNull();
    const response = await signedRequest(
      sandbox.url,
      { ...legacy, hmacSecret: legacy.secretKey },
      "GET",
      "/v1/partner/token-pools",
    );
    expect(response.status).toBe(200);
  });
});
