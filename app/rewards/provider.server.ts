// The seam between the reward pipeline and a rewards platform. SIR is the
// first implementation (app/providers/sir); peers such as Sentiments,
// OpenPartner or SoyCap would implement the same interface.

export type RewardCustomer = {
  partnerUserId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
};

export type PurchaseRequest = {
  /** Derived from the shop and order, so every retry on either side is the same request. */
  idempotencyKey: string;
  /** Decimal string in major units of `currency`. */
  amount: string;
  currency: string;
  customer: RewardCustomer;
  metadata: Record<string, string>;
};

export type PurchaseReceipt = { actionId: string; tokensDistributed: number; replayed: boolean };

export type ReversalRequest = {
  actionId: string;
  /** Percentage of the original purchase, decimal string with 2 decimals. */
  percent: string;
  reason: string;
  idempotencyKey: string;
};

export type ReversalReceipt = {
  reversalId: string;
  tokensClawedBack: number;
  /** Tokens the customer had already spent, now owed (SIR tracks it as debt). */
  debt: number;
  replayed: boolean;
};

/**
 * retryable: try again later (network, timeout, 5xx, rate limit).
 * pool_empty: nothing can be rewarded until the pool is refilled.
 * permanent: the request itself was refused; a person must act.
 */
export type ProviderFailureKind = "retryable" | "pool_empty" | "permanent";

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export type PurchaseOutcome = PurchaseReceipt | ProviderError;

export interface RewardsProvider {
  readonly name: string;
  submitPurchase(request: PurchaseRequest): Promise<PurchaseReceipt>;
  /** Many purchases in as few calls as the platform allows; one outcome per request, in order. */
  submitPurchases(requests: PurchaseRequest[]): Promise<PurchaseOutcome[]>;
  reversePurchase(request: ReversalRequest): Promise<ReversalReceipt>;
  /** Whether the platform can reward again (for resuming parked rewards). */
  hasPoolBalance(): Promise<boolean>;
}
