/**
 * Request authentication, implemented independently of the app's client (as a real server
 * would be):
 *   bodyHash      = hex SHA-256 of the raw body bytes
 *   signedPayload = X-Timestamp + METHOD + pathWithQuery + bodyHash
 *   X-Signature   = hex HMAC-SHA256(key = hmacSecret text, signedPayload)
 * With no body, bodyHash is SHA-256 of zero bytes (e3b0c442…), not "": the documented GET test
 * vector only verifies that way, so "" in the prose names the empty body, not its hash.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { forbidden, unauthorized } from "./errors";
import type { KeyPair, PartnerKey, SandboxState } from "./state";

export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface SignedRequest {
  method: string;
  /** As received on the request line, never normalised. */
  pathWithQuery: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

export function lookUpKey(state: SandboxState, header: string | undefined): PartnerKey {
  if (!header) throw unauthorized("Missing X-Partner-Key header");
  const key = state.keys.get(header);
  if (!key) throw unauthorized("Unknown API key");
  return key;
}

function computeSignature(
  hmacKey: string,
  timestamp: string,
  method: string,
  pathWithQuery: string,
  rawBody: Buffer,
): Buffer {
  const bodyHash = createHash("sha256").update(rawBody).digest("hex");
  return createHmac("sha256", hmacKey)
    .update(timestamp + method + pathWithQuery + bodyHash)
    .digest();
}

/** Secret-key HMAC endpoints: 403 for a pk_, 401 for a bad timestamp or signature. */
export function verifySignedRequest(key: PartnerKey, request: SignedRequest, nowMs: number): void {
  if (key.kind !== "secret") {
    throw forbidden(
      "Publishable keys (pk_) only work on widget endpoints; sign with a secret key (sk_)",
    );
  }
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw unauthorized("X-Timestamp must be Unix seconds");
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw unauthorized(
      `X-Timestamp is more than ${MAX_CLOCK_SKEW_SECONDS} seconds from server time`,
    );
  }
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    throw unauthorized("X-Signature must be 64 hex characters");
  }
  const expected = computeSignature(
    hmacKeyOf(key.pair),
    timestamp,
    request.method,
    request.pathWithQuery,
    request.rawBody,
  );
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    throw unauthorized("Invalid signature");
  }
}

/** Widget endpoints take a publishable key only: secrets do not belong in browsers. */
export function verifyWidgetKey(key: PartnerKey): void {
  if (key.kind !== "publishable") {
    throw forbidden("Widget endpoints take a publishable key (pk_); never send sk_ from a browser");
  }
}

export function requireScope(pair: KeyPair, scope: string | undefined): void {
  if (scope && !pair.scopes.has(scope)) {
    throw forbidden(`This API key lacks the ${scope} scope`);
  }
}

/** Legacy keys without an HMAC secret sign with the secret key itself (documented). */
function hmacKeyOf(pair: KeyPair): string {
  return pair.hmacSecret ?? pair.secretKey;
}
