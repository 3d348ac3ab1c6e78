import { describe, expect, it } from "vitest";
import { signSirWebhook, verifySirWebhookSignature } from "./webhook-signature";

const SECRET = "whsec_test";
const TIMESTAMP = "1746876000";
const BODY = '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99}';
const SIGNATURE = "sha256=5c41156dd76beb7693275180d67c826686e40d7b010e420bc001e686af0df8ed";
const NOW_MS = 1_746_876_000_000;

function verify(overrides: Partial<Parameters<typeof verifySirWebhookSignature>[0]> = {}) {
  return verifySirWebhookSignature({
    secret: SECRET,
    timestampHeader: TIMESTAMP,
    signatureHeader: SIGNATURE,
    rawBody: BODY,
    nowMs: NOW_MS,
    ...overrides,
  });
}

describe("signSirWebhook", () => {
  it("matches the documented vector", () => {
    expect(signSirWebhook({ secret: SECRET, timestamp: TIMESTAMP, rawBody: BODY })).toBe(SIGNATURE);
  });
});

describe("verifySirWebhookSignature", () => {
  it("accepts the documented vector, as text or bytes", () => {
    expect(verify()).toEqual({ ok: true });
    expect(verify({ rawBody: Buffer.from(BODY, "utf8") })).toEqual({ ok: true });
  });

  it("accepts deliveries within the 5-minute tolerance either side", () => {
    expect(verify({ nowMs: NOW_MS + 300_000 })).toEqual({ ok: true });
    expect(verify({ nowMs: NOW_MS - 300_000 })).toEqual({ ok: true });
  });

  it("rejects stale and far-future timestamps", () => {
    expect(verify({ nowMs: NOW_MS + 301_000 })).toEqual({ ok: false, reason: "stale" });
    expect(verify({ nowMs: NOW_MS - 301_000 })).toEqual({ ok: false, reason: "stale" });
    expect(verify({ nowMs: NOW_MS + 61_000, toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it("rejects missing headers", () => {
    expect(verify({ timestampHeader: null })).toEqual({ ok: false, reason: "missing_header" });
    expect(verify({ signatureHeader: undefined })).toEqual({
      ok: false,
      reason: "missing_header",
    });
    expect(verify({ signatureHeader: "  " })).toEqual({ ok: false, reason: "missing_header" });
  });

  it("rejects a timestamp that is not unix seconds", () => {
    expect(verify({ timestampHeader: "2025-05-10T12:00:00Z" })).toEqual({
      ok: false,
      reason: "bad_timestamp",
    });
    expect(verify({ timestampHeader: "-1746876000" })).toEqual({
      ok: false,
      reason: "bad_timestamp",
    });
  });

  it("rejects a re-serialized or tampered body", () => {
    const reserialized = JSON.stringify(JSON.parse(BODY), null, 1);
    expect(verify({ rawBody: reserialized })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verify({ rawBody: BODY.replace("49.99", "99.99") })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("rejects a wrong secret, a signature for another timestamp, and malformed headers", () => {
    expect(verify({ secret: "whsec_other" })).toEqual({ ok: false, reason: "bad_signature" });
    const otherTimestamp = signSirWebhook({
      secret: SECRET,
      timestamp: "1746876001",
      rawBody: BODY,
    });
    expect(verify({ signatureHeader: otherTimestamp })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(verify({ signatureHeader: SIGNATURE.slice("sha256=".length) })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(verify({ signatureHeader: `${SIGNATURE}00` })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("checks the signature before freshness, so stale means authentic but late", () => {
    expect(verify({ secret: "whsec_other", nowMs: NOW_MS + 3_600_000 })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});
