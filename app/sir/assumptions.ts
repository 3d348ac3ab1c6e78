/**
 * Every behaviour of the SIR partner API that the client relies on but the partner docs do not
 * state. Each entry says what we assume and why, and what the app does IF WRONG: no assumption
 * may fail every reward; each degrades to the documented behaviour. Each "IF WRONG" is tested
 * against a sandbox switch that makes SIR do the other plausible thing
 * (test/sir-sandbox/behaviour.ts; test/contract/sir-assumptions.contract.test.ts).
 * Documented facts (signing, headers, 402/403/409/429 meanings, endpoint paths) live with the code.
 */
import type { SirErrorCode } from "./errors";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMED error body: NestJS style `{ statusCode, message, error }`, `message` a string or a
 * string array, sometimes with a `code` such as "INSUFFICIENT_POOL".
 * IF WRONG: also read are a bare JSON string or string array, `error` as a nested
 * `{ code, message }`, an `errors: [{ code, message | detail | title } | string]` list (JSON:API
 * and many gateways), and plain text (its words are the message; see `errorTextOf`). HTML and
 * anything else yield no fields, and the HTTP status decides (429 and 5xx keep their meaning
 * whatever the body says), so an unreadable body never turns a 402 or a 429 into a failure.
 * Tested against the sandbox's `errorBody` switch (text, html, errors-array).
 */
export interface ErrorBodyFields {
  code: string[];
  error: string[];
  message: string[];
}

export function readErrorBodyFields(parsed: unknown): ErrorBodyFields {
  const fields: ErrorBodyFields = { code: [], error: [], message: [] };
  if (typeof parsed === "string") {
    fields.message = [parsed];
    return fields;
  }
  if (Array.isArray(parsed)) {
    fields.message = strings(parsed);
    return fields;
  }
  if (!isRecord(parsed)) return fields;
  fields.code = strings([parsed.code]);
  fields.message = strings(Array.isArray(parsed.message) ? parsed.message : [parsed.message]);
  if (isRecord(parsed.error)) {
    fields.code.push(...strings([parsed.error.code]));
    fields.message.push(...strings([parsed.error.message]));
  } else {
    fields.error = strings([parsed.error]);
  }
  if (Array.isArray(parsed.errors)) {
    for (const entry of parsed.errors) {
      if (typeof entry === "string") fields.message.push(...strings([entry]));
      else if (isRecord(entry)) {
        fields.code.push(...strings([entry.code]));
        fields.message.push(...strings([entry.message ?? entry.detail ?? entry.title]));
      }
    }
  }
  return fields;
}

/**
 * The text of an error body that is not JSON, as its message: plain text is read (trimmed,
 * whitespace collapsed); an HTML page (a proxy's, a load balancer's) or JSON cut short is not,
 * and the status decides.
 */
export function errorTextOf(rawBody: string): string | null {
  const text = rawBody.replace(/\s+/g, " ").trim();
  // Empty, HTML, or JSON cut short: nothing to read.
  if (text === "" || /^[[{<]/.test(text) || /<\/\w+>/.test(text)) {
    return null;
  }
  return text.slice(0, 500);
}

/** ASSUMED (stated in our notes, not by SIR): which body field names the error code first. */
export const ERROR_BODY_FIELD_PRECEDENCE = ["code", "error", "message"] as const;

/**
 * ASSUMED: 429 and 5xx keep their status meaning whatever the body says, because retry
 * behaviour hangs on them and a proxy's body is not SIR's.
 */
export function statusOverridesBodyCode(status: number): boolean {
  return status === 429 || status >= 500;
}

/** ASSUMED spellings SIR or NestJS may use for our codes (after upper-casing, non-alnum → "_"). */
export const ERROR_CODE_ALIASES: Readonly<Record<string, SirErrorCode>> = {
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  RATE_LIMIT_EXCEEDED: "RATE_LIMITED",
  VALIDATION_ERROR: "VALIDATION",
  INVALID_SIGNATURE: "UNAUTHORIZED",
};

/**
 * DECISION: a 403 is read by what its body names (forbiddenCodeFor); one that names nothing is
 * FORBIDDEN. The docs give 403 for both a missing scope (`actions:reverse`) and a pk_ key on a
 * secret-key endpoint ("INSUFFICIENT_SCOPE-style"); both are fixed by issuing the right key,
 * neither by retrying. UNAUTHORIZED stays reserved for 401 (bad key, timestamp or signature).
 */
export const FORBIDDEN_CODE: SirErrorCode = "FORBIDDEN";

/**
 * ASSUMED: SIR answers a bad key, timestamp or signature 401 (documented), and a 403 means a
 * scope. IF WRONG: the other plausible mapping is a NestJS guard's default, which answers every
 * refusal 403 `{statusCode: 403, message: "Forbidden resource", error: "Forbidden"}` with no
 * code, so a bad signature and a missing scope look alike. Then a 403 is read by what its body
 * names: a scope or permission → INSUFFICIENT_SCOPE; a signature, timestamp, key or credential
 * → UNAUTHORIZED; neither → FORBIDDEN, whose sentence names both causes (keys and permissions).
 * All three are permanent either way: a person must fix the keys; retrying cannot.
 * Tested against the sandbox's `badSignatureStatus: 403` switch.
 */
export function forbiddenCodeFor(texts: readonly string[]): SirErrorCode {
  const text = texts.join(" ");
  if (/scope|permission/i.test(text)) return "INSUFFICIENT_SCOPE";
  if (/signature|timestamp|credential|api key|partner key|unauthori[sz]ed/i.test(text)) {
    return "UNAUTHORIZED";
  }
  return "FORBIDDEN";
}

/** DECISION: 404 and other unlisted 4xx are VALIDATION (the request named something wrong). */
export const OTHER_CLIENT_ERROR_CODE: SirErrorCode = "VALIDATION";

// ---------------------------------------------------------------------------------------------
// Idempotent replays
// ---------------------------------------------------------------------------------------------

/**
 * Documented: a 409 on submit carries the ORIGINAL response. ASSUMED: the same holds for reverse
 * (keyed by refundIdempotencyKey) and bulk. A 409 whose body does not look like the original
 * response (no identifying field) is reported as SirError IDEMPOTENT instead of a fake success.
 */
export const REPLAY_IDENTIFYING_FIELD = {
  submit: "actionId",
  reverse: "reversalTransactionId",
  bulk: "results",
} as const;

// ---------------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMED `X-RateLimit-Reset`: a value above 10^9 is epoch seconds, otherwise seconds until the
 * window resets (counted from when the response was seen).
 * IF WRONG: a value above 10^12 is read as epoch milliseconds (read as seconds it would put the
 * reset thousands of years away and hold every call back), and a reset further ahead than
 * RATE_LIMIT_RESET_MAX_AHEAD_MS is taken as unreadable: the client then stops pacing on these
 * headers and relies on 429 with Retry-After (documented). Returns epoch ms, or null.
 * Tested against the sandbox's `rateLimitReset` switch (seconds-until, epoch-ms).
 */
export function rateLimitResetToEpochMs(value: string, observedAtMs: number): number | null {
  const number = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(number) || number < 0) return null;
  const resetAtMs =
    number > 1e12 ? number : number > 1e9 ? number * 1000 : observedAtMs + number * 1000;
  return resetAtMs - observedAtMs > RATE_LIMIT_RESET_MAX_AHEAD_MS ? null : resetAtMs;
}

/** Our choice: no rate-limit window is believed to end more than an hour from now. */
export const RATE_LIMIT_RESET_MAX_AHEAD_MS = 60 * 60_000;

/** ASSUMED: limits are counted per key, so pk_ (widget) and sk_ calls are tracked separately. */
export function rateLimitBucket(auth: "secret" | "publishable"): string {
  return auth;
}

/** Our choice: below this fraction of the limit, spread the remaining calls until the reset. */
export const RATE_LIMIT_LOW_WATER_FRACTION = 0.1;

// ---------------------------------------------------------------------------------------------
// Response and request shapes the docs leave open
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMED bulk request body: `{ "actions": [ <submit body>, ... ] }`.
 * IF WRONG (no bulk endpoint, or another shape): SIR refuses the call as a whole, which
 * `bulkRefusalMeaning` reads as "unavailable"; the provider sends the batch through the
 * documented single submit under the same keys, and the app remembers it per connection
 * (re-probing bulk now and then). Nothing is failed because of this assumption.
 */
export const BULK_REQUEST_FIELD = "actions";

/** Documented bulk limit: up to 100 actions per call. */
export const BULK_MAX_ACTIONS = 100;

/**
 * ASSUMED bulk response: `{ results: [{ index, status, idempotencyKey, result?, error? }] }`
 * (a bare array is accepted too). An item succeeded when it has a `result` and no `error`; it is
 * a replay when `status` is 409 or "IDEMPOTENT"/"DUPLICATE"; `error` has the error-body shape.
 * IF WRONG: a 2xx with no per-item results we can read (not JSON, another shape, or an
 * asynchronous `{ jobId }`) is "unavailable" as well: the batch goes one by one under the same
 * keys, and anything the bulk call did record comes back as its replay (SIR dedupes on the key).
 * A single item without a readable outcome is sent alone (`sendAlone`). Sandbox switches:
 * `noBulk`, `bulkResponse: "job"`.
 */
export interface RawBulkItem {
  index: number | null;
  status: number | string | null;
  idempotencyKey: string | null;
  result: unknown;
  error: unknown;
}

export function readBulkItems(body: unknown): RawBulkItem[] | null {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.results : undefined;
  if (!Array.isArray(list)) return null;
  return list.filter(isRecord).map((item) => ({
    index: typeof item.index === "number" ? item.index : null,
    status: typeof item.status === "number" || typeof item.status === "string" ? item.status : null,
    idempotencyKey: typeof item.idempotencyKey === "string" ? item.idempotencyKey : null,
    result: item.result,
    error: item.error,
  }));
}

/**
 * Whether SIR gave a readable outcome for an item: a result with an `actionId`, or an error (an
 * `error` field or an HTTP-like failure status). Anything else is a shape we do not know.
 */
export function bulkItemIsReadable(item: RawBulkItem): boolean {
  if (item.error == null && isRecord(item.result) && typeof item.result.actionId === "string") {
    return true;
  }
  const status = bulkItemHttpStatus(item);
  return item.error != null || (status !== null && status >= 400);
}

/**
 * What a refusal of the whole bulk call means (ASSUMED: the docs say nothing of bulk errors).
 * - "unavailable": SIR has no such endpoint or shape (404, 405, 410, 501, or a 400/422 that
 *   names no item): send one by one and remember it.
 * - "send_alone": a 400/422 that names an item (`actions[3]`, `index 3`, or one of the keys):
 *   bulk exists and read our shape, but one item spoiled the call; each is sent on its own for
 *   its own answer, and bulk stays in use.
 * - "error": anything else (401, 402, 403, 409, 429, 5xx) keeps its usual meaning for every
 *   item (retryable stays retryable).
 */
export type BulkRefusalMeaning = "unavailable" | "send_alone" | "error";

export const BULK_UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([404, 405, 410, 501]);
const BULK_INVALID_STATUSES: ReadonlySet<number> = new Set([400, 422]);
const NAMES_AN_ITEM = /\bactions?\s*(\[\s*\d+\s*\]|\.\s*\d+)|\b(index|item)\s*[:#=]?\s*\d+/i;

export function bulkRefusalMeaning(
  status: number,
  rawBody: string,
  idempotencyKeys: readonly string[],
): BulkRefusalMeaning {
  if (BULK_UNAVAILABLE_STATUSES.has(status)) return "unavailable";
  if (!BULK_INVALID_STATUSES.has(status)) return "error";
  const namesItem =
    NAMES_AN_ITEM.test(rawBody) || idempotencyKeys.some((key) => rawBody.includes(key));
  return namesItem ? "send_alone" : "unavailable";
}

export function bulkItemIsReplay(item: RawBulkItem): boolean {
  return item.status === 409 || item.status === "IDEMPOTENT" || item.status === "DUPLICATE";
}

/** Numeric HTTP-like status of a failed bulk item, if it gave one (for error mapping). */
export function bulkItemHttpStatus(item: RawBulkItem): number | null {
  if (typeof item.status === "number") return item.status;
  if (isRecord(item.error) && typeof item.error.statusCode === "number") {
    return item.error.statusCode;
  }
  return null;
}

/**
 * ASSUMED list shapes: the docs show none. Accept `{ <name>: [...] }`, `{ data: [...] }` (common
 * NestJS pagination) or a bare array. Used for token pools, webhooks and deliveries.
 */
export function readList(body: unknown, name: string): Record<string, unknown>[] | null {
  const list = Array.isArray(body)
    ? body
    : isRecord(body)
      ? Array.isArray(body[name])
        ? body[name]
        : body.data
      : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : null;
}

/** ASSUMED: ids look like MongoDB ObjectIds ("65f1…"), so a record may carry `_id` not `id`. */
export function readId(record: Record<string, unknown>, primary = "id"): string | null {
  const value = record[primary] ?? record.id ?? record._id;
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * ASSUMED GET /actions/:id shape: the submit response (actionId, idempotencyKey, status,
 * tokensDistributed, transactionIds) plus reversal fields whose names are unknown; those are
 * passed through untouched. `id`/`_id` are accepted for `actionId`.
 */
export function readActionId(record: Record<string, unknown>): string | null {
  return readId(record, "actionId");
}

/**
 * ASSUMED organization field names: `logo` or `logoUrl`, `ein` or `EIN` (the docs list
 * "id, name, logo, EIN, status").
 */
export const ORGANIZATION_FIELD_ALIASES = {
  logo: ["logo", "logoUrl"],
  ein: ["ein", "EIN"],
} as const;

/** ASSUMED: GET /campaigns/active answers 404 (or an empty/null body) when nothing is active. */
export const NO_ACTIVE_CAMPAIGN_STATUS = 404;

export function isEmptyCampaignBody(body: unknown): boolean {
  return body === null || body === undefined || (isRecord(body) && Object.keys(body).length === 0);
}

/**
 * ASSUMED `reversalPercentage`: a decimal with up to 2 decimal places in (0, 100]. The docs say
 * "1–100"; partial refunds need fractions (a $10 refund on $30 is 33.33 %).
 * IF WRONG (whole numbers only, a decimal answered 400): the provider reports the refusal of a
 * fractional percentage as FractionalPercentRefused; the pipeline resends under the same key
 * (the refused call recorded nothing) in whole percentages (cumulative floored to 1 %, the rest
 * carried, exactly 100 when all is refunded, never more) and remembers it on the connection
 * (`reversalWholePercentSince`). Sandbox switch: `integerReversalPercentage`.
 */
export const REVERSAL_PERCENTAGE_PATTERN = /^(0|[1-9]\d{0,2})(\.\d{1,2})?$/;
export const REVERSAL_PERCENTAGE_MAX_HUNDREDTHS = 100_00;

/**
 * ASSUMED: create-link accepts an optional `returnUrl`, and SIR appends
 * `sir_donation_id=<partnerDonationId>` to it when the donor comes back.
 * IF WRONG (returnUrl ignored, or no `sir_donation_id`): `donationIdFromReturnUrl` gives null,
 * and the donation is still known by the `partnerDonationId` create-link answered, whose status
 * `GET donations/status/:id` reads; the storefront widget keeps that id in its session, and
 * falling back on it is the widget's side (extensions/sir-donate). Sandbox switch:
 * `donationReturnUrl: "ignored" | "no-param"`.
 */
export const DONATION_RETURN_URL_FIELD = "returnUrl";
export const DONATION_RETURN_PARAM = "sir_donation_id";

export function donationIdFromReturnUrl(url: string | URL): string | null {
  try {
    const value = new URL(url).searchParams.get(DONATION_RETURN_PARAM);
    return value === null || value === "" ? null : value;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Webhooks from SIR
// ---------------------------------------------------------------------------------------------

/** ASSUMED: reject deliveries whose X-SIR-Timestamp is more than 5 minutes from our clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Documented header format `sha256=<hex>`; ASSUMED to carry exactly one signature. */
export const WEBHOOK_SIGNATURE_PREFIX = "sha256=";

/**
 * Documented envelope `{ id, type, createdAt, data }`. IF WRONG (other field names, as webhook
 * senders variously use): the first present of each list is read, so a delivery is never refused
 * for its field names; with no id at all, the body's hash is the dedupe key (webhook-envelope.ts).
 * Tested against the sandbox's `webhookEnvelope: "alternate"` switch.
 */
export const WEBHOOK_ENVELOPE_FIELDS = {
  id: ["id", "eventId", "event_id", "_id"],
  type: ["type", "event", "eventType", "event_type"],
  createdAt: ["createdAt", "created_at", "timestamp", "created", "occurredAt"],
  data: ["data", "payload", "object"],
} as const;

/**
 * ASSUMED: deliveries are at-least-once with retries, so receivers dedupe on the envelope `id`
 * ("evt_…") and must tolerate out-of-order arrival.
 */
export function webhookDedupeKey(envelope: { id: string }): string {
  return envelope.id;
}

// ---------------------------------------------------------------------------------------------
// Users (the customer account's balance and history)
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMED: `GET users/:partnerUserId/transactions?page&limit` answers
 * `{ transactions: [{ id, type: "EARN" | "REVERSAL", tokens, actionId, createdAt }], total, page,
 * limit }` (the docs name the endpoint family, not its shape; `_id` for `id` and a bare array or
 * `data` for the list are read too).
 * IF WRONG: an entry without a readable id, type or whole `tokens` is dropped, an unreadable
 * answer or a 404/405/410/501 (no such route) reads as no transactions, and the account page
 * shows the app's own ledger history instead; the balance (`users/:id/balance`) does not depend
 * on it.
 */
export const USER_TRANSACTIONS_FIELD = "transactions";

export function readUserTransactions(body: unknown): Array<Record<string, unknown>> | null {
  const list = readList(body, USER_TRANSACTIONS_FIELD);
  if (!list) return null;
  const entries: Array<Record<string, unknown>> = [];
  for (const item of list) {
    const id = readId(item);
    const tokens = item.tokens ?? item.amount;
    if (id === null || typeof item.type !== "string") continue;
    if (typeof tokens !== "number" || !Number.isSafeInteger(tokens)) continue;
    const actionId =
      typeof item.actionId === "string" && item.actionId !== "" ? item.actionId : null;
    const createdAt = typeof item.createdAt === "string" ? item.createdAt : "";
    entries.push({ ...item, id, type: item.type, tokens: Math.abs(tokens), actionId, createdAt });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------------------------

/**
 * ASSUMED (not SIR-specific): a refused connection (ECONNREFUSED) proves the request never
 * reached the server, so even a non-idempotent POST can be resent. Any other network failure
 * may have happened after the server received the request.
 */
export const NOTHING_SENT_ERROR_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED"]);

function strings(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === "string" && value !== "");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
