/**
 * The tests' own signing and verification, written from the documentation and independent of
 * both the app's client and the sandbox's auth.ts, so a shared mistake cannot hide.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function signPartnerRequest(input: {
  hmacSecret: string;
  timestamp: string;
  method: string;
  pathWithQuery: string;
  body: Buffer | string;
}): string {
  // An empty body hashes as zero bytes: the documented GET vector only matches that way.
  const bodyHash = createHash("sha256").update(input.body).digest("hex");
  const payload = `${input.timestamp}${input.method}${input.pathWithQuery}${bodyHash}`;
  return createHmac("sha256", input.hmacSecret).update(payload).digest("hex");
}

/** Verifies X-SIR-Signature the way a partner's webhook receiver would. */
export function isValidWebhookSignature(input: {
  secret: string;
  timestamp: string;
  rawBody: string;
  signatureHeader: string;
}): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac("sha256", input.secret).update(`${input.timestamp}.${input.rawBody}`).digest("hex")}`,
  );
  const received = Buffer.from(input.signatureHeader);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
