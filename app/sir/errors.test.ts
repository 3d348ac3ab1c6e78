import { describe, expect, it } from "vitest";
import {
  SirError,
  classifyErrorBody,
  codeForStatus,
  parseErrorBody,
  redactSecrets,
} from "./errors";

describe("codeForStatus", () => {
  it.each([
    [400, "VALIDATION"],
    [422, "VALIDATION"],
    [401, "UNAUTHORIZED"],
    [402, "INSUFFICIENT_POOL"],
    [403, "FORBIDDEN"],
    [404, "VALIDATION"],
    [409, "IDEMPOTENT"],
    [429, "RATE_LIMITED"],
    [500, "SERVER"],
    [503, "SERVER"],
    [302, "SERVER"],
  ] as const)("%i → %s", (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe("parseErrorBody", () => {
  it("prefers `code` over `error`, `message` and the status", () => {
    const body = JSON.stringify({
      statusCode: 400,
      code: "INSUFFICIENT_POOL",
      error: "Bad Request",
      message: "Token pool is empty",
    });
    expect(parseErrorBody(400, body)).toEqual({
      code: "INSUFFICIENT_POOL",
      detail: "Token pool is empty",
    });
  });

  it("reads a NestJS body whose `error` names the code", () => {
    const body =
      '{"statusCode":403,"message":"Scope actions:reverse required","error":"INSUFFICIENT_SCOPE"}';
    expect(parseErrorBody(403, body)).toEqual({
      code: "INSUFFICIENT_SCOPE",
      detail: "Scope actions:reverse required",
    });
  });

  it("finds a code embedded in the message", () => {
    const body = '{"statusCode":400,"message":"INSUFFICIENT_POOL: ask for allocation"}';
    expect(parseErrorBody(400, body).code).toBe("INSUFFICIENT_POOL");
  });

  it("joins an array message and falls back to the status", () => {
    const body = JSON.stringify({
      statusCode: 422,
      message: ["amount must be a number", "currency should not be empty"],
      error: "Unprocessable Entity",
    });
    expect(parseErrorBody(422, body)).toEqual({
      code: "VALIDATION",
      detail: "amount must be a number; currency should not be empty",
    });
  });

  it("maps a NestJS reason phrase through the status", () => {
    const body = '{"statusCode":401,"message":"Invalid signature","error":"Unauthorized"}';
    expect(parseErrorBody(401, body).code).toBe("UNAUTHORIZED");
  });

  it("survives HTML, empty, null, numeric and malformed bodies", () => {
    expect(parseErrorBody(502, "<html><body>Bad Gateway</body></html>")).toEqual({
      code: "SERVER",
      detail: null,
    });
    expect(parseErrorBody(400, "")).toEqual({ code: "VALIDATION", detail: null });
    expect(parseErrorBody(402, "null")).toEqual({ code: "INSUFFICIENT_POOL", detail: null });
    expect(parseErrorBody(401, "42")).toEqual({ code: "UNAUTHORIZED", detail: null });
    expect(parseErrorBody(400, '{"message":')).toEqual({ code: "VALIDATION", detail: null });
    expect(parseErrorBody(400, '{"message":{"nested":true},"code":7}')).toEqual({
      code: "VALIDATION",
      detail: null,
    });
  });

  it("reads a bare JSON string or string array", () => {
    expect(parseErrorBody(400, '"Rate limit exceeded"')).toEqual({
      code: "RATE_LIMITED",
      detail: "Rate limit exceeded",
    });
    expect(parseErrorBody(400, '["a","b"]')).toEqual({ code: "VALIDATION", detail: "a; b" });
  });

  it("reads a nested error object", () => {
    const body = '{"error":{"code":"insufficient-scope","message":"needs actions:reverse"}}';
    expect(parseErrorBody(403, body)).toEqual({
      code: "INSUFFICIENT_SCOPE",
      detail: "needs actions:reverse",
    });
  });

  it("keeps 429 and 5xx meanings whatever the body says", () => {
    expect(parseErrorBody(429, '{"code":"VALIDATION"}').code).toBe("RATE_LIMITED");
    expect(parseErrorBody(503, '{"code":"INSUFFICIENT_POOL"}').code).toBe("SERVER");
  });

  // ASSUMED 401 for credentials; a NestJS guard answers every refusal 403 alike instead.
  it("reads a 403 by what it names: a scope, the credentials, or neither (FORBIDDEN)", () => {
    const forbidden = (body: string) => parseErrorBody(403, body).code;
    expect(forbidden('{"statusCode":403,"message":"Forbidden resource","error":"Forbidden"}')).toBe(
      "FORBIDDEN",
    );
    expect(forbidden("")).toBe("FORBIDDEN");
    expect(forbidden('{"message":"This API key lacks the actions:reverse scope"}')).toBe(
      "INSUFFICIENT_SCOPE",
    );
    expect(forbidden('{"message":"Invalid signature","error":"Forbidden"}')).toBe("UNAUTHORIZED");
    expect(forbidden("Request timestamp outside the allowed window")).toBe("UNAUTHORIZED");
    expect(forbidden('{"code":"INSUFFICIENT_SCOPE","message":"nope"}')).toBe("INSUFFICIENT_SCOPE");
  });

  // ASSUMED NestJS bodies; other plausible shapes are read too, and the status keeps its meaning.
  it("reads plain text, {errors: [...]} and HTML error bodies", () => {
    expect(parseErrorBody(402, "Token pool balance is too low")).toEqual({
      code: "INSUFFICIENT_POOL",
      detail: "Token pool balance is too low",
    });
    expect(parseErrorBody(400, "INSUFFICIENT_POOL: pool empty").code).toBe("INSUFFICIENT_POOL");
    expect(
      parseErrorBody(400, '{"errors":[{"code":"VALIDATION","message":"amount must be > 0"}]}'),
    ).toEqual({ code: "VALIDATION", detail: "amount must be > 0" });
    expect(parseErrorBody(402, '{"errors":[{"detail":"pool empty"}]}')).toEqual({
      code: "INSUFFICIENT_POOL",
      detail: "pool empty",
    });
    expect(
      parseErrorBody(429, "<html><title>429</title><body><h1>Too Many</h1></body></html>"),
    ).toEqual({ code: "RATE_LIMITED", detail: null });
  });

  it("classifies a status-less error (bulk item) from its body, else VALIDATION", () => {
    expect(classifyErrorBody(null, { code: "INSUFFICIENT_POOL" }).code).toBe("INSUFFICIENT_POOL");
    expect(classifyErrorBody(null, "something odd").code).toBe("VALIDATION");
  });
});

describe("SirError", () => {
  it("derives retryable from the code unless told otherwise", () => {
    expect(new SirError({ code: "SERVER", message: "x" }).retryable).toBe(true);
    expect(new SirError({ code: "TIMEOUT", message: "x" }).retryable).toBe(true);
    expect(new SirError({ code: "INSUFFICIENT_POOL", message: "x" }).retryable).toBe(false);
    expect(new SirError({ code: "SERVER", message: "x", retryable: false }).retryable).toBe(false);
  });

  it("is an Error with name SirError and null defaults", () => {
    const error = new SirError({ code: "NETWORK", message: "down" });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SirError");
    expect(error.status).toBeNull();
    expect(error.retryAfterMs).toBeNull();
    expect(error.requestPath).toBeNull();
  });
});

describe("redactSecrets", () => {
  it("removes configured secrets and anything shaped like a SIR key", () => {
    const hmac = "f".repeat(64);
    const text = `key sk_live_${"a".repeat(64)} pk_test_abc123 whsec_XYZ789 hmac ${hmac}`;
    const redacted = redactSecrets(text, [hmac]);
    expect(redacted).toBe("key [redacted] [redacted] [redacted] hmac [redacted]");
  });
});
