import { createHash, createHmac } from "node:crypto";

/** The exact body bytes sent on the wire, or the string that encodes to them (UTF-8). */
export type BodyBytes = string | Uint8Array;

export function sha256Hex(bytes: BodyBytes): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export interface SignRequestInput {
  /** HMAC key as its ASCII text (never hex-decoded); legacy keys use the sk_ value. */
  hmacSecret: string;
  /** Unix seconds, the same string sent as X-Timestamp. */
  timestamp: string;
  method: string;
  /** Path plus query string exactly as sent, no host. */
  pathWithQuery: string;
  /** Exact body bytes sent; "" when there is no body. */
  body: BodyBytes;
}

/** X-Signature = hex HMAC-SHA256(hmacSecret, timestamp + METHOD + pathWithQuery + sha256(body)). */
export function signRequest(input: SignRequestInput): string {
  const payload =
    input.timestamp + input.method.toUpperCase() + input.pathWithQuery + sha256Hex(input.body);
  return createHmac("sha256", input.hmacSecret).update(payload, "utf8").digest("hex");
}

export interface SignedHeadersInput extends SignRequestInput {
  /** The sk_ key sent as X-Partner-Key. */
  partnerKey: string;
}

/** Headers for a server-to-server call; Content-Type only when there is a body. */
export function buildSignedHeaders(input: SignedHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Partner-Key": input.partnerKey,
    "X-Timestamp": input.timestamp,
    "X-Signature": signRequest(input),
  };
  if (input.body.length > 0) headers["Content-Type"] = "application/json";
  return headers;
}

/** Unix seconds as the decimal string SIR expects in X-Timestamp. */
export function unixSecondsString(nowMs: number): string {
  return String(Math.floor(nowMs / 1000));
}
