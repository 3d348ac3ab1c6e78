/**
 * Request and response types of the SIR partner API calls the app makes. Field names follow the
 * partner docs; shapes the docs leave open are marked ASSUMED and interpreted in assumptions.ts.
 * Extra fields SIR sends are kept (index signatures) so nothing is lost before we know them.
 */
import type { SirError } from "./errors";
import type { JsonValue } from "./json-body";

/** Documented values; others pass through as strings. */
export type ActionType = "PURCHASE" | "DONATION" | (string & {});
export type ActionStatus = "COMPLETED" | (string & {});
export type StakeholderTypeCode = "CUSTOMER" | (string & {});

export interface Stakeholder {
  stakeholderTypeCode: StakeholderTypeCode;
  partnerUserId: string;
  userEmail?: string;
  userFirstName?: string;
  userLastName?: string;
}

export interface SubmitActionInput {
  /** Unique per logical operation (e.g. "order_98765"); makes retries safe. */
  idempotencyKey: string;
  actionType: ActionType;
  /** Decimal string in MAJOR units ("49.99"); sent as the JSON number 49.99, never via a float. */
  amount: string;
  currency: string;
  stakeholders: Stakeholder[];
  autoCreateUsers?: boolean;
  metadata?: { [key: string]: JsonValue | undefined };
  campaignId?: string;
}

export interface SubmitActionResponse {
  actionId: string;
  idempotencyKey: string;
  status: ActionStatus;
  tokensDistributed: number;
  transactionIds: string[];
  [extra: string]: unknown;
}

export interface SubmitActionResult {
  action: SubmitActionResponse;
  /** SIR answered 409: the key was already processed and this is the original response. */
  replayed: boolean;
}

export interface ReverseActionInput {
  /** Decimal string in (0, 100] with up to 2 decimals ("100", "33.33"); see assumptions.ts. */
  reversalPercentage: string;
  reason: string;
  refundIdempotencyKey: string;
}

export interface ReversalBreakdownEntry {
  stakeholderTypeCode: StakeholderTypeCode;
  expected: number;
  clawedBack: number;
  /** Tokens the user had already spent; tracked by SIR as debt, not an error. */
  debt: number;
  [extra: string]: unknown;
}

export interface ReversalResponse {
  reversalTransactionId: string;
  tokensClawedBack: number;
  debtsCreated: number;
  breakdown: ReversalBreakdownEntry[];
  [extra: string]: unknown;
}

export interface ReverseActionResult {
  reversal: ReversalResponse;
  replayed: boolean;
}

/** ASSUMED: the submit response plus status and reversal fields (names unknown, passed through). */
export interface ActionDetails {
  actionId: string;
  status: ActionStatus;
  idempotencyKey?: string;
  tokensDistributed?: number;
  transactionIds?: string[];
  [extra: string]: unknown;
}

/** One outcome per submitted action, in input order. */
export type BulkItemOutcome =
  | {
      index: number;
      idempotencyKey: string;
      ok: true;
      action: SubmitActionResponse;
      replayed: boolean;
    }
  | {
      index: number;
      idempotencyKey: string;
      ok: false;
      error: SirError;
      /**
       * SIR gave no readable outcome for this item (none at all, or a shape we cannot read), or
       * refused the call for what one item holds: send it on its own under the same key for its
       * own answer. Safe because SIR dedupes on the idempotency key.
       */
      sendAlone: boolean;
    };

/**
 * SIR refused the bulk call as a whole in a way that means it has no such endpoint or shape
 * (404, 405, 410, 501, a 400 that names no item, a 2xx whose body is not per-item results).
 * Nothing of the call can have been recorded as we meant it; the documented single submit,
 * under the same keys, is the contract of record.
 */
export interface BulkUnavailable {
  status: number;
  reason: string;
}

export interface BulkSubmitResult {
  /** One outcome per input, in input order; empty when `unavailable`. */
  items: BulkItemOutcome[];
  unavailable: BulkUnavailable | null;
}

export interface TokenPool {
  id: string;
  name?: string;
  availableBalance?: number;
  [extra: string]: unknown;
}

export interface TokenPoolBalance {
  availableBalance: number;
  [extra: string]: unknown;
}

export interface AllocationRequestInput {
  /** Whole tokens requested. */
  amount: number;
  reason: string;
}

export interface AllocationRequestResponse {
  id?: string;
  status?: string;
  [extra: string]: unknown;
}

export interface Campaign {
  id: string;
  name?: string;
  status?: string;
  tokenPoolId?: string;
  actionTypes?: string[];
  [extra: string]: unknown;
}

export type PartnerFeature = "DONATIONS" | "ACTIONS" | (string & {});

export interface PartnerConfig {
  id: string;
  name: string;
  slug: string;
  enabledFeatures: PartnerFeature[];
  /** Shape not documented. */
  rateLimit: unknown;
  isActive: boolean;
  webhookUrl: string | null;
  tipConfig: { enabled: boolean; defaultPercent: number };
  [extra: string]: unknown;
}

export interface Organization {
  id: string;
  name: string;
  /** Read from `logo` or `logoUrl` (ASSUMED names). */
  logo: string | null;
  /** Read from `ein` or `EIN` (ASSUMED names). */
  ein: string | null;
  status: string | null;
  [extra: string]: unknown;
}

export type DonationFrequency = "once" | "monthly";
export type DonationProvider = "stripe" | "every.org";

export interface CreateDonationLinkInput {
  nonprofitSlug: string;
  /**
   * Integer minor units of `currency` per ISO 4217 (ASSUMED; 2500 = $25.00, 123450 = 1,234.50
   * HUF, 5000 = ¥5000; see data/README.md), whatever the name says; unlike actions/submit,
   * which takes major units.
   */
  amountCents: number;
  currency: string;
  frequency: DonationFrequency;
  provider: DonationProvider;
  donorEmail: string;
  firstName: string;
  lastName: string;
  /** Integer minor units of `currency`, as `amountCents`. */
  tipAmountCents?: number;
  tipPercent?: number;
  referralCode?: string;
  /** ASSUMED: SIR sends the donor back here with `sir_donation_id=<partnerDonationId>`. */
  returnUrl?: string;
}

export interface CreateDonationLinkResponse {
  donationLink: string;
  partnerDonationId: string;
  [extra: string]: unknown;
}

export type DonationStatus = "COMPLETED" | (string & {});

export interface DonationStatusResponse {
  status: DonationStatus;
  tokensDistributed?: number;
  [extra: string]: unknown;
}

export type SirWebhookEventType =
  | "action.completed"
  | "action.failed"
  | "action.reversed"
  | "transaction.completed"
  | "campaign.activated"
  | "campaign.budget_reached"
  | "campaign.completed"
  | "token_pool.low_balance"
  | "token_pool.refilled"
  | "token_pool_request.approved"
  | "token_pool_request.rejected";

export interface RegisterWebhookInput {
  url: string;
  description?: string;
  eventTypes: SirWebhookEventType[];
  receiveAllEvents: boolean;
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  isActive: boolean;
  [extra: string]: unknown;
}

export interface RegisteredWebhook extends Webhook {
  /** "whsec_…", shown once: store it encrypted, never log it. */
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  /** e.g. "FAILED" (documented), other values pass through. */
  status: string;
  [extra: string]: unknown;
}

export interface SirWebhookEnvelope {
  /** "evt_…"; deliveries are at-least-once, so dedupe on it. */
  id: string;
  type: SirWebhookEventType | (string & {});
  createdAt: string;
  data: Record<string, unknown>;
}

/** `GET users/:partnerUserId/balance` (the sandbox's shape; the partner docs list only `users`). */
export interface UserBalance {
  partnerUserId: string;
  balance: number;
  debt: number;
  [extra: string]: unknown;
}

/** One entry of `GET users/:partnerUserId/transactions` (ASSUMED shape, see assumptions.ts). */
export interface UserTransaction {
  id: string;
  /** "EARN" for a purchase's tokens, "REVERSAL" for tokens taken back; others pass through. */
  type: string;
  /** Tokens moved, positive for both kinds. */
  tokens: number;
  actionId: string | null;
  createdAt: string;
  [extra: string]: unknown;
}
