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
  /** Percentage of the original purchase: 2 decimals ("33.33"), or whole ("33") where required. */
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

/**
 * The platform refused a reversal whose percentage has decimals as invalid: it may take whole
 * percentages only. Permanent as it stands; the pipeline resends in whole percentages (under the
 * same key: the refused call recorded nothing) and remembers it for the connection.
 */
export class FractionalPercentRefused extends ProviderError {
  constructor(message: string) {
    super("permanent", message);
    this.name = "FractionalPercentRefused";
  }
}

export type PurchaseOutcome = PurchaseReceipt | ProviderError;

/**
 * How a batch of purchases went to the platform:
 * - "batched": through its batch call;
 * - "one_by_one": one request each, as asked (`batch: false`);
 * - "batching_unavailable": the platform refused its batch call as a whole in a way that means
 *   it has none (or not in the shape we assumed), so they went one by one; the caller should
 *   remember it and stop asking for batches for a while.
 */
export type PurchaseBatching = "batched" | "one_by_one" | "batching_unavailable";

export type PurchaseBatch = { outcomes: PurchaseOutcome[]; batching: PurchaseBatching };

export interface RewardsProvider {
  readonly name: string;
  submitPurchase(request: PurchaseRequest): Promise<PurchaseReceipt>;
  /**
   * Many purchases in as few calls as the platform allows (`batch`, default true), or one request
   * each (`batch: false`); one outcome per request, in order, each as its own submit's would be.
   * A batch call the platform turns out not to have never fails a purchase: they go one by one.
   */
  submitPurchases(
    requests: PurchaseRequest[],
    options?: { batch?: boolean },
  ): Promise<PurchaseBatch>;
  reversePurchase(request: ReversalRequest): Promise<ReversalReceipt>;
  /** Whether the platform can reward again (for resuming parked rewards). */
  hasPoolBalance(): Promise<boolean>;
}
