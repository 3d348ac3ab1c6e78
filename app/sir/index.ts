export { SirClient, createSirClient, type SirClientOptions, type SirLogger } from "./client";
export {
  SIR_ERROR_CODES,
  SirError,
  classifyErrorBody,
  codeForStatus,
  isSirError,
  parseErrorBody,
  redactSecrets,
  type ParsedErrorBody,
  type SirErrorCode,
} from "./errors";
export { isDecimalString } from "./json-body";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
export { RateLimitTracker, type RateLimitState } from "./rate-limit";
export { buildSignedHeaders, sha256Hex, signRequest, unixSecondsString } from "./signing";
export {
  signSirWebhook,
  verifySirWebhookSignature,
  type VerifySirWebhookInput,
  type WebhookVerificationFailure,
  type WebhookVerificationResult,
} from "./webhook-signature";
export { parseSirWebhookEnvelope } from "./webhook-envelope";
export {
  BULK_MAX_ACTIONS,
  DONATION_RETURN_PARAM,
  WEBHOOK_TOLERANCE_SECONDS,
  donationIdFromReturnUrl,
  webhookDedupeKey,
} from "./assumptions";
export type * from "./types";
