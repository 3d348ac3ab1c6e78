import { createHmac, timingSafeEqual } from "node:crypto";
import { WEBHOOK_SIGNATURE_PREFIX, WEBHOOK_TOLERANCE_SECONDS } from "./assumptions";
import type { BodyBytes } from "./signing";

export type WebhookVerificationFailure =
  | "missing_header"
  | "bad_timestamp"
  | "stale"
  | "bad_signature";

export type WebhookVerificationResult =
  | { ok: true }
  | { ok: false; reason: WebhookVerificationFailure };

export interface VerifySirWebhookInput {
  /** The whsec_ secret returned once when the webhook was registered. */
  secret: string;
  /** X-SIR-Timestamp as received (unix seconds). */
  timestampHeader: string | null | undefined;
  /** X-SIR-Signature as received ("sha256=<hex>"). */
  signatureHeader: string | null | undefined;
  /** The request body exactly as received; never a re-serialized object. */
  rawBody: BodyBytes;
  nowMs?: number;
  toleranceSeconds?: number;
}

function webhookHmacHex(secret: string, timestamp: string, rawBody: BodyBytes): string {
  return createHmac("sha256", secret).update(`${timestamp}.`, "utf8").update(rawBody).digest("hex");
}

/** The X-SIR-Signature value SIR sends for this body; lets tests and tools produce deliveries. */
export function signSirWebhook(input: {
  secret: string;
  timestamp: string;
  rawBody: BodyBytes;
}): string {
  return WEBHOOK_SIGNATURE_PREFIX + webhookHmacHex(input.secret, input.timestamp, input.rawBody);
}

export function verifySirWebhookSignature(input: VerifySirWebhookInput): WebhookVerificationResult {
  const timestamp = input.timestampHeader?.trim();
  const signature = input.signatureHeader?.trim();
  if (!timestamp || !signature) return { ok: false, reason: "missing_header" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };

  // Signature before freshness, so "stale" always means an authentic delivery that came too late.
  const expected = Buffer.from(signSirWebhook({ ...input, timestamp }), "utf8");
  const received = Buffer.from(signature.toLowerCase(), "utf8");
  // Length is public (fixed by the scheme); timingSafeEqual needs equal-length buffers.
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: "bad_signature" };
  }

  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: "stale" };
  return { ok: true };
}
