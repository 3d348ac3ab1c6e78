/**
 * The sandbox's in-memory data. Everything a hot path needs is a Map lookup: actions by
 * idempotency key, reversals by refund key, users by partnerUserId, keys by key string.
 */
import { defaultBehaviour, type SandboxBehaviour } from "./behaviour";
import { noFaults, type FaultConfig } from "./faults";
import type { RateLimitConfig, RateLimitWindow } from "./rate-limit";

export interface KeyPair {
  id: string;
  partnerId: string;
  publicKey: string;
  secretKey: string;
  /** null for a legacy key, which signs with the secret key itself. */
  hmacSecret: string | null;
  scopes: ReadonlySet<string>;
}

export interface PartnerKey {
  /** The key string itself, e.g. "sk_test_…". */
  value: string;
  kind: "publishable" | "secret";
  pair: KeyPair;
}

export interface TipConfig {
  enabled: boolean;
  defaultPercent: number;
}

export interface Partner {
  id: string;
  name: string;
  slug: string;
  webhookUrl: string | null;
  tipConfig: TipConfig;
  defaultPoolId: string;
  campaignIds: string[];
  users: Map<string, PartnerUser>;
  actionsByIdempotencyKey: Map<string, ActionRecord>;
  reversalsByRefundKey: Map<string, ReversalRecord>;
  /** Chronological, for paging without scanning. */
  actionIds: string[];
  webhookIds: string[];
  poolRequestIds: string[];
  createdAt: string;
}

export interface PartnerUser {
  id: string;
  partnerUserId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  balance: number;
  debt: number;
  createdAt: string;
}

export interface TokenPool {
  id: string;
  partnerId: string;
  name: string;
  availableBalance: number;
  totalAllocated: number;
  lowBalanceThreshold: number;
  status: "ACTIVE";
  /** Set when token_pool.low_balance fired; cleared when the balance is back at the threshold. */
  lowBalanceNotified: boolean;
}

export interface Campaign {
  id: string;
  partnerId: string;
  name: string;
  status: "ACTIVE" | "PAUSED";
  baseMultiplier: number;
  actionTypes: string[];
  tokenPoolId: string;
  createdAt: string;
}

export interface SubmitResponse {
  actionId: string;
  idempotencyKey: string;
  status: "COMPLETED";
  tokensDistributed: number;
  transactionIds: string[];
}

export interface ActionRecord {
  id: string;
  partnerId: string;
  idempotencyKey: string;
  actionType: string;
  /** The amount exactly as the client wrote it, e.g. "49.99". */
  amountText: string;
  currency: string;
  partnerUserId: string;
  campaignId: string | null;
  poolId: string;
  metadata: Record<string, unknown> | null;
  tokensDistributed: number;
  tokensReversed: number;
  reversedHundredths: number;
  reversals: ReversalRecord[];
  partnerDonationId: string | null;
  response: SubmitResponse;
  createdAt: string;
}

export interface ReversalBreakdown {
  stakeholderTypeCode: "CUSTOMER";
  expected: number;
  clawedBack: number;
  debt: number;
}

export interface ReversalResponse {
  reversalTransactionId: string;
  tokensClawedBack: number;
  debtsCreated: number;
  breakdown: ReversalBreakdown[];
}

export interface ReversalRecord {
  actionId: string;
  refundIdempotencyKey: string;
  reversalPercentage: number;
  reason: string | null;
  response: ReversalResponse;
  createdAt: string;
}

export type DonationStatus = "PENDING" | "COMPLETED" | "FAILED";

export interface Donation {
  partnerDonationId: string;
  partnerId: string;
  nonprofitSlug: string;
  /** Minor units of `currency` per ISO 4217 (`currency.ts`), whatever the name says. */
  amountCents: number;
  currency: string;
  frequency: "once" | "monthly";
  provider: "stripe" | "every.org";
  donorEmail: string | null;
  firstName: string | null;
  lastName: string | null;
  tipAmountCents: number | null;
  tipPercent: number | null;
  referralCode: string | null;
  returnUrl: string | null;
  status: DonationStatus;
  tokensDistributed: number;
  actionId: string | null;
  createdAt: string;
}

export interface Organization {
  id: string;
  slug: string;
  name: string;
  logoUrl: string;
  ein: string;
  status: "ACTIVE";
}

export interface Webhook {
  id: string;
  partnerId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  receiveAllEvents: boolean;
  secret: string;
  isActive: boolean;
  deliveryIds: string[];
  createdAt: string;
}

export type DeliveryStatus = "PENDING" | "SUCCEEDED" | "FAILED";

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** The exact bytes sent, so every attempt carries the same body. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  /** Failures since the last manual retry; indexes webhookRetryDelaysMs. */
  failuresInRound: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

export interface PoolRequest {
  id: string;
  partnerId: string;
  poolId: string;
  amount: number;
  reason: string | null;
  status: "PENDING" | "APPROVED" | "REJECTED";
  createdAt: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 until the response is sent. */
  status: number;
  receivedAtMs: number;
  /** First 16 characters of X-Partner-Key (e.g. "sk_test_1a2b3c4d"), null without the header. */
  partnerKeyPrefix: string | null;
  /**
   * For a submit or bulk request, each action it carried and what that action got: a bulk
   * item's own status, otherwise the request's (0 until answered).
   */
  actions?: LoggedAction[];
}

export interface LoggedAction {
  idempotencyKey: string | null;
  status: number;
}

export interface SandboxState {
  partners: Map<string, Partner>;
  keys: Map<string, PartnerKey>;
  pools: Map<string, TokenPool>;
  campaigns: Map<string, Campaign>;
  actions: Map<string, ActionRecord>;
  donations: Map<string, Donation>;
  organizations: Map<string, Organization>;
  webhooks: Map<string, Webhook>;
  deliveries: Map<string, WebhookDelivery>;
  poolRequests: Map<string, PoolRequest>;
  requestLog: RequestLogEntry[];
  faults: FaultConfig;
  /** Where SIR does the other plausible thing (behaviour.ts); reset restores the start-up one. */
  behaviour: SandboxBehaviour;
  rateLimit: RateLimitConfig;
  rateLimitWindows: Map<string, RateLimitWindow>;
}

export function createState(rateLimit: RateLimitConfig): SandboxState {
  return {
    partners: new Map(),
    keys: new Map(),
    pools: new Map(),
    campaigns: new Map(),
    actions: new Map(),
    donations: new Map(),
    organizations: new Map(),
    webhooks: new Map(),
    deliveries: new Map(),
    poolRequests: new Map(),
    requestLog: [],
    faults: noFaults(),
    behaviour: defaultBehaviour(),
    rateLimit,
    rateLimitWindows: new Map(),
  };
}

/** Empties the state in place, so references held by tests (sandbox.state) stay valid. */
export function clearState(state: SandboxState, rateLimit: RateLimitConfig): void {
  const fresh = createState(rateLimit);
  Object.assign(state, fresh);
}
