import {
  BULK_MAX_ACTIONS,
  BULK_REQUEST_FIELD,
  NO_ACTIVE_CAMPAIGN_STATUS,
  NOTHING_SENT_ERROR_CODES,
  ORGANIZATION_FIELD_ALIASES,
  REPLAY_IDENTIFYING_FIELD,
  BULK_UNAVAILABLE_STATUSES,
  bulkItemHttpStatus,
  bulkItemIsReadable,
  bulkItemIsReplay,
  bulkRefusalMeaning,
  isEmptyCampaignBody,
  isRecord,
  rateLimitBucket,
  readActionId,
  readBulkItems,
  readId,
  readList,
  readUserTransactions,
  type RawBulkItem,
} from "./assumptions";
import { SirError, classifyErrorBody, parseErrorBody, redactSecrets } from "./errors";
import { serializeJson, type JsonValue } from "./json-body";
import { RateLimitTracker } from "./rate-limit";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfterMs, type RetryPolicy } from "./retry";
import {
  allocationRequestBody,
  donationLinkBody,
  registerWebhookBody,
  requireInteger,
  reverseActionBody,
  segment,
  submitActionBody,
  validation,
} from "./request-bodies";
import { buildSignedHeaders, unixSecondsString } from "./signing";
import type {
  ActionDetails,
  AllocationRequestInput,
  AllocationRequestResponse,
  BulkItemOutcome,
  BulkSubmitResult,
  Campaign,
  CreateDonationLinkInput,
  CreateDonationLinkResponse,
  DonationStatusResponse,
  Organization,
  PartnerConfig,
  RegisteredWebhook,
  RegisterWebhookInput,
  ReversalResponse,
  ReverseActionInput,
  ReverseActionResult,
  SubmitActionInput,
  SubmitActionResponse,
  SubmitActionResult,
  TokenPool,
  TokenPoolBalance,
  UserBalance,
  UserTransaction,
  Webhook,
  WebhookDelivery,
} from "./types";

/** pino-compatible. Receives method, path, status, attempt and timings only. */
export interface SirLogger {
  debug?(fields: Record<string, unknown>, message: string): void;
  info?(fields: Record<string, unknown>, message: string): void;
  warn?(fields: Record<string, unknown>, message: string): void;
}

export interface SirClientOptions {
  /** Origin only, e.g. "https://devapi.sirgiving.org"; paths are added by the client. */
  baseUrl: string;
  /** pk_… for the widget endpoints. */
  publicKey?: string;
  /** sk_… for the signed endpoints. */
  secretKey?: string;
  /** HMAC key text; legacy key pairs without one sign with the sk_ value. */
  hmacSecret?: string;
  /** Per attempt, covering headers and body. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof globalThis.fetch;
  /** Epoch ms clock, for X-Timestamp and rate-limit windows. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: SirLogger;
  userAgent?: string;
}

type Auth = "secret" | "publishable";
type HttpMethod = "GET" | "POST" | "DELETE";

interface CallSpec {
  method: HttpMethod;
  /** Path plus query, ids already encoded; exactly what is signed and sent. */
  pathWithQuery: string;
  auth: Auth;
  body?: JsonValue;
  /** GET/DELETE, or a POST carrying an idempotency key. */
  safeToRepeat: boolean;
  /** On 409, a body with this field is the original response of an idempotent replay. */
  replayField?: string;
  /** Statuses that answer the question rather than fail it. */
  answerStatuses?: readonly number[];
  /**
   * Statuses returned (with the raw text) for the caller to read instead of thrown, and a 2xx
   * that is not JSON returned as `unreadable` (bulk decides what such a refusal means).
   */
  refusalStatuses?: ReadonlySet<number>;
}

interface CallResult {
  status: number;
  body: unknown;
  replayed: boolean;
  /** The raw body, for refusal statuses. */
  text?: string;
  /** A 2xx (or refusal) whose body was not JSON. */
  unreadable?: boolean;
}

type SendOutcome =
  | { kind: "response"; status: number; headers: Headers; text: string }
  | { kind: "failure"; error: SirError; nothingSent: boolean };

interface Credentials {
  partnerKey: string;
  hmacKey: string | null;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_USER_AGENT = "sir-rewards-shopify/0.1";
const MAX_DETAIL_LENGTH = 300;
const PARTNER = "/v1/partner";
// Whole-call refusals of bulk that submitBulk reads itself (see bulkRefusalMeaning).
const BULK_REFUSAL_STATUSES: ReadonlySet<number> = new Set([
  ...BULK_UNAVAILABLE_STATUSES,
  400,
  422,
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function systemErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 5 || !isRecordLike(value) || seen.has(value)) return;
    seen.add(value);
    if (typeof value.code === "string") codes.push(value.code);
    if (Array.isArray(value.errors)) value.errors.forEach((inner) => visit(inner, depth + 1));
    visit(value.cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

function pick(record: Record<string, unknown>, names: readonly string[]): string | null {
  for (const name of names) {
    if (typeof record[name] === "string") return record[name];
  }
  return null;
}

export class SirClient {
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly logger: SirLogger | undefined;
  private readonly userAgent: string;
  private readonly secrets: readonly string[];
  private readonly trackers = new Map<string, RateLimitTracker>();

  constructor(private readonly options: SirClientOptions) {
    this.origin = SirClient.parseOrigin(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw validation("SIR client: timeoutMs must be a positive number");
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.secrets = [options.secretKey, options.hmacSecret, options.publicKey].filter(
      (value): value is string => typeof value === "string" && value !== "",
    );
  }

  private static parseOrigin(baseUrl: string): string {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw validation("SIR client: baseUrl is not a valid URL");
    }
    const bare = (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
    if ((url.protocol !== "https:" && url.protocol !== "http:") || !bare) {
      throw validation("SIR client: baseUrl must be an http(s) origin without a path");
    }
    return url.origin;
  }

  // -------------------------------------------------------------------------------------------
  // Actions
  // -------------------------------------------------------------------------------------------

  /** A 409 (key already processed) is a success carrying the original response. */
  async submitAction(input: SubmitActionInput): Promise<SubmitActionResult> {
    const body = submitActionBody(input, "submitAction");
    const result = await this.call({
      method: "POST",
      pathWithQuery: `${PARTNER}/actions/submit`,
      auth: "secret",
      body,
      safeToRepeat: true,
      replayField: REPLAY_IDENTIFYING_FIELD.submit,
    });
    if (!isRecord(result.body) || typeof result.body.actionId !== "string") {
      throw this.unexpectedShape("POST", `${PARTNER}/actions/submit`);
    }
    return { action: result.body as SubmitActionResponse, replayed: result.replayed };
  }

  /** Needs the `actions:reverse` scope (403 INSUFFICIENT_SCOPE otherwise). */
  async reverseAction(actionId: string, input: ReverseActionInput): Promise<ReverseActionResult> {
    const operation = "reverseAction";
    const path = `${PARTNER}/actions/${segment(actionId, "actionId", operation)}/reverse`;
    const result = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "secret",
      body: reverseActionBody(input, operation),
      safeToRepeat: true,
      replayField: REPLAY_IDENTIFYING_FIELD.reverse,
    });
    const body = result.body;
    if (!isRecord(body) || typeof body.reversalTransactionId !== "string") {
      throw this.unexpectedShape("POST", path);
    }
    return { reversal: body as ReversalResponse, replayed: result.replayed };
  }

  /**
   * Up to 100 actions, processed synchronously; one outcome per input, in input order. The bulk
   * endpoint and its shapes are ASSUMED (assumptions.ts): a refusal of the whole call meaning
   * "no such endpoint or shape" comes back as `unavailable` (no items), never as item failures,
   * so the caller can send the actions through the documented single submit instead.
   */
  async submitBulk(actions: readonly SubmitActionInput[]): Promise<BulkSubmitResult> {
    const operation = "submitBulk";
    if (!Array.isArray(actions) || actions.length === 0 || actions.length > BULK_MAX_ACTIONS) {
      throw validation(`SIR ${operation}: between 1 and ${BULK_MAX_ACTIONS} actions per call`);
    }
    const path = `${PARTNER}/actions/bulk`;
    const keys = actions.map((action) => action.idempotencyKey);
    const result = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "secret",
      body: { [BULK_REQUEST_FIELD]: actions.map((action) => submitActionBody(action, operation)) },
      safeToRepeat: true,
      replayField: REPLAY_IDENTIFYING_FIELD.bulk,
      refusalStatuses: BULK_REFUSAL_STATUSES,
    });
    const unavailable = (reason: string): BulkSubmitResult => ({
      items: [],
      unavailable: { status: result.status, reason },
    });
    const refused = result.status >= 300;
    const items = result.unreadable ? null : readBulkItems(result.body);
    if (refused && (items === null || !items.some(bulkItemIsReadable))) {
      const meaning = bulkRefusalMeaning(result.status, result.text ?? "", keys);
      if (meaning === "unavailable") return unavailable(`HTTP ${result.status}`);
      if (meaning === "send_alone") {
        const error = this.wholeBulkRefusal(result.status, result.text ?? "", path);
        return {
          items: keys.map((idempotencyKey, index) => ({
            index,
            idempotencyKey,
            ok: false,
            error,
            sendAlone: true,
          })),
          unavailable: null,
        };
      }
      throw this.wholeBulkRefusal(result.status, result.text ?? "", path);
    }
    if (items === null || !items.some(bulkItemIsReadable)) {
      return unavailable(`HTTP ${result.status} without per-item results`);
    }
    return {
      items: actions.map((action, index) => {
        const item =
          items.find((candidate) => candidate.index === index) ??
          items.find((candidate) => candidate.idempotencyKey === action.idempotencyKey);
        return this.bulkOutcome(index, action.idempotencyKey, item, result.replayed, path);
      }),
      unavailable: null,
    };
  }

  async getAction(actionId: string): Promise<ActionDetails> {
    const path = `${PARTNER}/actions/${segment(actionId, "actionId", "getAction")}`;
    const { body } = await this.get(path, "secret");
    const id = isRecord(body) ? readActionId(body) : null;
    if (!isRecord(body) || id === null || typeof body.status !== "string") {
      throw this.unexpectedShape("GET", path);
    }
    return { ...body, actionId: id, status: body.status };
  }

  // -------------------------------------------------------------------------------------------
  // Users (by the partner's own id for them: the Shopify customer id, or "email:…" for a guest)
  // -------------------------------------------------------------------------------------------

  async getUserBalance(partnerUserId: string): Promise<UserBalance> {
    const id = segment(partnerUserId, "partnerUserId", "getUserBalance");
    const path = `${PARTNER}/users/${id}/balance`;
    const { body } = await this.get(path, "secret");
    if (
      !isRecord(body) ||
      typeof body.balance !== "number" ||
      (body.debt !== undefined && typeof body.debt !== "number")
    ) {
      throw this.unexpectedShape("GET", path);
    }
    return { ...body, partnerUserId, balance: body.balance, debt: (body.debt as number) ?? 0 };
  }

  /** ASSUMED shape (assumptions.ts readUserTransactions); an unreadable answer throws. */
  async listUserTransactions(
    partnerUserId: string,
    { page = 1, limit = 100 }: { page?: number; limit?: number } = {},
  ): Promise<UserTransaction[]> {
    const id = segment(partnerUserId, "partnerUserId", "listUserTransactions");
    const path = `${PARTNER}/users/${id}/transactions?page=${page}&limit=${limit}`;
    const { body } = await this.get(path, "secret");
    const entries = readUserTransactions(body);
    if (!entries) throw this.unexpectedShape("GET", path);
    return entries as UserTransaction[];
  }

  // -------------------------------------------------------------------------------------------
  // Token pools and campaigns
  // -------------------------------------------------------------------------------------------

  async listTokenPools(): Promise<TokenPool[]> {
    const path = `${PARTNER}/token-pools`;
    const { body } = await this.get(path, "secret");
    return this.expectList(body, "pools", "GET", path) as TokenPool[];
  }

  async getTokenPoolBalance(poolId: string): Promise<TokenPoolBalance> {
    const id = segment(poolId, "poolId", "getTokenPoolBalance");
    const path = `${PARTNER}/token-pools/${id}/balance`;
    const { body } = await this.get(path, "secret");
    if (!isRecord(body) || typeof body.availableBalance !== "number") {
      throw this.unexpectedShape("GET", path);
    }
    return body as TokenPoolBalance;
  }

  /** Not idempotent: retried only when SIR provably did not receive it (429, refused). */
  async requestAllocation(input: AllocationRequestInput): Promise<AllocationRequestResponse> {
    const operation = "requestAllocation";
    const path = `${PARTNER}/token-pools/request`;
    const { body } = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "secret",
      body: allocationRequestBody(input, operation),
      safeToRepeat: false,
    });
    return (isRecord(body) ? body : {}) as AllocationRequestResponse;
  }

  /** null when no campaign is active. */
  async getActiveCampaign(): Promise<Campaign | null> {
    const path = `${PARTNER}/campaigns/active`;
    const { status, body } = await this.call({
      method: "GET",
      pathWithQuery: path,
      auth: "secret",
      safeToRepeat: true,
      answerStatuses: [NO_ACTIVE_CAMPAIGN_STATUS],
    });
    if (status === NO_ACTIVE_CAMPAIGN_STATUS || isEmptyCampaignBody(body)) return null;
    const id = isRecord(body) ? readId(body) : null;
    if (!isRecord(body) || id === null) throw this.unexpectedShape("GET", path);
    return { ...body, id };
  }

  // -------------------------------------------------------------------------------------------
  // Widget endpoints (publishable key, unsigned)
  // -------------------------------------------------------------------------------------------

  async getPartnerConfig(): Promise<PartnerConfig> {
    const path = `${PARTNER}/config`;
    const { body } = await this.get(path, "publishable");
    if (!isRecord(body) || !Array.isArray(body.enabledFeatures)) {
      throw this.unexpectedShape("GET", path);
    }
    return body as PartnerConfig;
  }

  async getOrganization(slug: string): Promise<Organization> {
    const path = `${PARTNER}/organizations/${segment(slug, "slug", "getOrganization")}`;
    const { body } = await this.get(path, "publishable");
    const id = isRecord(body) ? readId(body) : null;
    if (!isRecord(body) || id === null || typeof body.name !== "string") {
      throw this.unexpectedShape("GET", path);
    }
    return {
      ...body,
      id,
      name: body.name,
      logo: pick(body, ORGANIZATION_FIELD_ALIASES.logo),
      ein: pick(body, ORGANIZATION_FIELD_ALIASES.ein),
      status: typeof body.status === "string" ? body.status : null,
    };
  }

  /** Not idempotent: retried only when SIR provably did not receive it (429, refused). */
  async createDonationLink(input: CreateDonationLinkInput): Promise<CreateDonationLinkResponse> {
    const operation = "createDonationLink";
    const path = `${PARTNER}/donations/create-link`;
    const { body } = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "publishable",
      body: donationLinkBody(input, operation),
      safeToRepeat: false,
    });
    if (
      !isRecord(body) ||
      typeof body.donationLink !== "string" ||
      typeof body.partnerDonationId !== "string"
    ) {
      throw this.unexpectedShape("POST", path);
    }
    return body as CreateDonationLinkResponse;
  }

  async getDonationStatus(partnerDonationId: string): Promise<DonationStatusResponse> {
    const id = segment(partnerDonationId, "partnerDonationId", "getDonationStatus");
    const path = `${PARTNER}/donations/status/${id}`;
    const { body } = await this.get(path, "publishable");
    if (!isRecord(body) || typeof body.status !== "string") {
      throw this.unexpectedShape("GET", path);
    }
    return body as DonationStatusResponse;
  }

  // -------------------------------------------------------------------------------------------
  // Webhook subscriptions
  // -------------------------------------------------------------------------------------------

  /** The returned `secret` is shown once by SIR: store it encrypted, never log it. */
  async registerWebhook(input: RegisterWebhookInput): Promise<RegisteredWebhook> {
    const operation = "registerWebhook";
    const path = `${PARTNER}/webhooks`;
    const { body } = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "secret",
      body: registerWebhookBody(input, operation),
      safeToRepeat: false,
    });
    const id = isRecord(body) ? readId(body) : null;
    if (!isRecord(body) || id === null || typeof body.secret !== "string") {
      throw this.unexpectedShape("POST", path);
    }
    return { ...(body as RegisteredWebhook), id };
  }

  async listWebhooks(): Promise<Webhook[]> {
    const path = `${PARTNER}/webhooks`;
    const { body } = await this.get(path, "secret");
    return this.expectList(body, "webhooks", "GET", path) as Webhook[];
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    const path = `${PARTNER}/webhooks/${segment(webhookId, "webhookId", "deleteWebhook")}`;
    await this.call({ method: "DELETE", pathWithQuery: path, auth: "secret", safeToRepeat: true });
  }

  /** Asks SIR to send a test delivery; the response shape is not documented. */
  async testWebhook(webhookId: string): Promise<Record<string, unknown>> {
    const path = `${PARTNER}/webhooks/${segment(webhookId, "webhookId", "testWebhook")}/test`;
    const { body } = await this.call({
      method: "POST",
      pathWithQuery: path,
      auth: "secret",
      safeToRepeat: false,
    });
    return isRecord(body) ? body : {};
  }

  async listWebhookDeliveries(
    webhookId: string,
    options: { limit?: number } = {},
  ): Promise<WebhookDelivery[]> {
    const operation = "listWebhookDeliveries";
    const query =
      options.limit === undefined
        ? ""
        : `?limit=${requireInteger(options.limit, "limit", operation, 1)}`;
    const path = `${PARTNER}/webhooks/${segment(webhookId, "webhookId", operation)}/deliveries`;
    const { body } = await this.get(path + query, "secret");
    return this.expectList(body, "deliveries", "GET", path) as WebhookDelivery[];
  }

  // -------------------------------------------------------------------------------------------
  // Transport
  // -------------------------------------------------------------------------------------------

  private get(pathWithQuery: string, auth: Auth): Promise<CallResult> {
    return this.call({ method: "GET", pathWithQuery, auth, safeToRepeat: true });
  }

  private async call(spec: CallSpec): Promise<CallResult> {
    const path = this.redact(spec.pathWithQuery.split("?")[0]);
    const credentials = this.credentialsFor(spec.auth, spec.method, path);
    const url = new URL(spec.pathWithQuery, this.origin);
    if (url.pathname + url.search !== spec.pathWithQuery) {
      // The signature must cover exactly what goes on the wire.
      throw validation(`SIR ${spec.method} ${path}: path would be rewritten by URL parsing`);
    }
    // Serialized once: these bytes are hashed, signed and sent on every attempt.
    const bodyBytes = new TextEncoder().encode(
      spec.body === undefined ? "" : serializeJson(spec.body),
    );
    const tracker = this.trackerFor(spec.auth);

    for (let attempt = 1; ; attempt += 1) {
      await this.waitForRateLimit(tracker, spec.method, path);
      const headers = this.headersFor(spec, credentials, bodyBytes);
      const startedAt = performance.now();
      const outcome = await this.send(url, spec.method, headers, bodyBytes, path);
      const durationMs = Math.round(performance.now() - startedAt);

      let error: SirError;
      let nothingSent = false;
      if (outcome.kind === "response") {
        tracker.update(outcome.headers);
        this.logger?.debug?.(
          { method: spec.method, path, status: outcome.status, attempt, durationMs },
          "SIR request",
        );
        const interpreted = this.interpret(spec, outcome, path);
        if (!(interpreted instanceof SirError)) return interpreted;
        error = interpreted;
      } else {
        this.logger?.debug?.(
          {
            method: spec.method,
            path,
            status: null,
            code: outcome.error.code,
            attempt,
            durationMs,
          },
          "SIR request failed before a response",
        );
        error = outcome.error;
        nothingSent = outcome.nothingSent;
      }

      const decision = decideRetry(
        { error, attempt, safeToRepeat: spec.safeToRepeat, nothingSent },
        this.policy,
        this.random,
      );
      const fields = { method: spec.method, path, status: error.status, code: error.code, attempt };
      if (!decision.retry) {
        this.logger?.warn?.(fields, "SIR request failed");
        throw error;
      }
      this.logger?.warn?.({ ...fields, delayMs: decision.delayMs }, "SIR request will be retried");
      await this.sleep(decision.delayMs);
    }
  }

  private credentialsFor(auth: Auth, method: HttpMethod, path: string): Credentials {
    if (auth === "publishable") {
      const key = this.options.publicKey;
      if (!key || !key.startsWith("pk_")) {
        throw validation(
          `SIR ${method} ${path}: the client needs a publishable key (publicKey, pk_…)`,
          method,
          path,
        );
      }
      return { partnerKey: key, hmacKey: null };
    }
    const key = this.options.secretKey;
    if (!key || !key.startsWith("sk_")) {
      throw validation(
        `SIR ${method} ${path}: the client needs a secret key (secretKey, sk_…)`,
        method,
        path,
      );
    }
    return { partnerKey: key, hmacKey: this.options.hmacSecret || key };
  }

  private trackerFor(auth: Auth): RateLimitTracker {
    const bucket = rateLimitBucket(auth);
    let tracker = this.trackers.get(bucket);
    if (!tracker) {
      tracker = new RateLimitTracker(this.now);
      this.trackers.set(bucket, tracker);
    }
    return tracker;
  }

  private async waitForRateLimit(tracker: RateLimitTracker, method: HttpMethod, path: string) {
    const pending = tracker.delayBeforeNextRequestMs();
    if (pending > this.policy.maxRetryAfterMs) {
      this.logger?.warn?.({ method, path, delayMs: pending }, "SIR rate limit exhausted: not sent");
      throw new SirError({
        code: "RATE_LIMITED",
        message: `SIR ${method} ${path} not sent: rate limit exhausted for ${pending} ms`,
        retryAfterMs: pending,
        method,
        requestPath: path,
      });
    }
    const delayMs = tracker.reserveRequest();
    if (delayMs > 0) {
      this.logger?.info?.({ method, path, delayMs }, "SIR rate limit nearly used: slowing down");
      await this.sleep(delayMs);
    }
  }

  /** Signed afresh on every attempt (new timestamp) over the same body bytes. */
  private headersFor(
    spec: CallSpec,
    credentials: Credentials,
    bodyBytes: Uint8Array,
  ): Record<string, string> {
    const common = { Accept: "application/json", "User-Agent": this.userAgent };
    if (credentials.hmacKey === null) {
      return {
        ...common,
        "X-Partner-Key": credentials.partnerKey,
        ...(bodyBytes.length > 0 ? { "Content-Type": "application/json" } : {}),
      };
    }
    return {
      ...common,
      ...buildSignedHeaders({
        partnerKey: credentials.partnerKey,
        hmacSecret: credentials.hmacKey,
        timestamp: unixSecondsString(this.now()),
        method: spec.method,
        pathWithQuery: spec.pathWithQuery,
        body: bodyBytes,
      }),
    };
  }

  private async send(
    url: URL,
    method: HttpMethod,
    headers: Record<string, string>,
    bodyBytes: Uint8Array<ArrayBuffer>,
    path: string,
  ): Promise<SendOutcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await this.fetchImpl(url, {
        method,
        headers,
        body: bodyBytes.length > 0 ? bodyBytes : undefined,
        signal: controller.signal,
        // A redirect would carry X-Partner-Key to wherever it points.
        redirect: "manual",
      });
      const text = await response.text();
      return { kind: "response", status: response.status, headers: response.headers, text };
    } catch (cause) {
      if (controller.signal.aborted) {
        const error = new SirError({
          code: "TIMEOUT",
          message: `SIR ${method} ${path} failed: TIMEOUT after ${this.timeoutMs} ms`,
          method,
          requestPath: path,
        });
        return { kind: "failure", error, nothingSent: false };
      }
      const codes = systemErrorCodes(cause).filter((code) => /^[A-Z][A-Z0-9_]+$/.test(code));
      const error = new SirError({
        code: "NETWORK",
        message: `SIR ${method} ${path} failed: NETWORK${codes.length ? ` (${codes[0]})` : ""}`,
        method,
        requestPath: path,
      });
      const nothingSent = codes.some((code) => NOTHING_SENT_ERROR_CODES.has(code));
      return { kind: "failure", error, nothingSent };
    } finally {
      clearTimeout(timer);
    }
  }

  private interpret(
    spec: CallSpec,
    response: { status: number; headers: Headers; text: string },
    path: string,
  ): CallResult | SirError {
    const { status, text } = response;
    // The status alone is the answer (404 = no active campaign); its body does not matter.
    if (spec.answerStatuses?.includes(status)) return { status, body: null, replayed: false };
    const passThrough = spec.refusalStatuses !== undefined;
    if (passThrough && (spec.refusalStatuses!.has(status) || (status >= 200 && status < 300))) {
      const body = parseJson(text);
      return body === INVALID_JSON
        ? { status, body: null, replayed: false, text, unreadable: true }
        : { status, body, replayed: false, text };
    }
    if (status >= 200 && status < 300) {
      const body = parseJson(text);
      if (body === INVALID_JSON) {
        return new SirError({
          code: "SERVER",
          status,
          retryable: false,
          message: `SIR ${spec.method} ${path}: ${status} response was not JSON`,
          method: spec.method,
          requestPath: path,
        });
      }
      return { status, body, replayed: false };
    }
    if (status === 409 && spec.replayField) {
      const body = parseJson(text);
      if (isRecord(body) && body[spec.replayField] !== undefined) {
        return { status, body, replayed: true };
      }
    }

    const parsed = parseErrorBody(status, text);
    const detail = parsed.detail === null ? "" : ` - ${truncate(parsed.detail)}`;
    return new SirError({
      code: parsed.code,
      status,
      // Redirects are not part of the API; repeating one will not help.
      retryable: status >= 300 && status < 400 ? false : undefined,
      retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after"), this.now()),
      message: this.redact(`SIR ${spec.method} ${path} failed: ${status} ${parsed.code}${detail}`),
      method: spec.method,
      requestPath: path,
    });
  }

  private bulkOutcome(
    index: number,
    idempotencyKey: string,
    item: RawBulkItem | undefined,
    wholeReplayed: boolean,
    path: string,
  ): BulkItemOutcome {
    const result = item?.result;
    if (item && item.error == null && isRecord(result) && typeof result.actionId === "string") {
      const replayed = wholeReplayed || bulkItemIsReplay(item);
      return { index, idempotencyKey, ok: true, action: result as SubmitActionResponse, replayed };
    }
    if (!item || !bulkItemIsReadable(item)) {
      const error = new SirError({
        code: "SERVER",
        message: `SIR POST ${path}: no readable result for item ${index}`,
        method: "POST",
        requestPath: path,
      });
      return { index, idempotencyKey, ok: false, error, sendAlone: true };
    }
    const status = bulkItemHttpStatus(item);
    const parsed = classifyErrorBody(status, item.error);
    const detail = parsed.detail === null ? "" : ` - ${truncate(parsed.detail)}`;
    const error = new SirError({
      code: parsed.code,
      status,
      message: this.redact(`SIR POST ${path}: item ${index} failed: ${parsed.code}${detail}`),
      method: "POST",
      requestPath: path,
    });
    return { index, idempotencyKey, ok: false, error, sendAlone: false };
  }

  /** The error a whole-call refusal of bulk stands for, as any other call's would be. */
  private wholeBulkRefusal(status: number, text: string, path: string): SirError {
    const parsed = parseErrorBody(status, text);
    const detail = parsed.detail === null ? "" : ` - ${truncate(parsed.detail)}`;
    return new SirError({
      code: parsed.code,
      status,
      message: this.redact(`SIR POST ${path} failed: ${status} ${parsed.code}${detail}`),
      method: "POST",
      requestPath: path,
    });
  }

  private expectList(
    body: unknown,
    name: string,
    method: HttpMethod,
    path: string,
  ): Record<string, unknown>[] {
    const list = readList(body, name);
    if (list === null) throw this.unexpectedShape(method, path);
    return list.map((record) => {
      const id = readId(record);
      if (id === null) throw this.unexpectedShape(method, path);
      return { ...record, id };
    });
  }

  private unexpectedShape(method: HttpMethod, path: string): SirError {
    const safePath = this.redact(path);
    return new SirError({
      code: "SERVER",
      retryable: false,
      message: `SIR ${method} ${safePath}: response did not have the expected shape`,
      method,
      requestPath: safePath,
    });
  }

  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

export function createSirClient(options: SirClientOptions): SirClient {
  return new SirClient(options);
}

const INVALID_JSON = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}
