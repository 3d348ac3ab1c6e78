import {
  BULK_MAX_ACTIONS,
  isSirError,
  type SirClient,
  type SirErrorCode,
  type SubmitActionInput,
} from "../../sir";
import {
  ProviderError,
  type PurchaseOutcome,
  type PurchaseReceipt,
  type PurchaseRequest,
  type ReversalReceipt,
  type ReversalRequest,
  type RewardsProvider,
} from "../../rewards/provider.server";

// Sentences a merchant can act on, per SIR error code. Never the raw body:
// it could echo request data.
const PERMANENT_MESSAGES: Partial<Record<SirErrorCode, string>> = {
  UNAUTHORIZED:
    "SIR refused the app's credentials (wrong secret key or HMAC secret, or the server clock is off). Check the keys in Settings.",
  INSUFFICIENT_SCOPE:
    "The SIR secret key lacks a permission this needs (reversals need actions:reverse). Ask SIR to re-issue the key with it.",
  VALIDATION: "SIR refused the request as invalid",
  IDEMPOTENT: "SIR reported a conflicting duplicate",
};

function providerErrorFrom(error: unknown): ProviderError {
  if (!isSirError(error)) {
    return new ProviderError("retryable", `Unexpected error talking to SIR: ${String(error)}`);
  }
  switch (error.code) {
    case "INSUFFICIENT_POOL":
      return new ProviderError(
        "pool_empty",
        "Your SIR token pool is empty; request more allocation.",
      );
    case "NETWORK":
    case "TIMEOUT":
    case "SERVER":
    case "RATE_LIMITED":
      return new ProviderError(
        "retryable",
        `SIR is unavailable for now (${error.code.toLowerCase()}); will retry.`,
        error.retryAfterMs,
      );
    default: {
      const base = PERMANENT_MESSAGES[error.code] ?? "SIR refused the request";
      return new ProviderError(
        "permanent",
        `${base} (HTTP ${error.status ?? "?"}: ${error.message})`,
      );
    }
  }
}

function submitInput(request: PurchaseRequest): SubmitActionInput {
  return {
    idempotencyKey: request.idempotencyKey,
    actionType: "PURCHASE",
    amount: request.amount,
    currency: request.currency,
    stakeholders: [
      {
        stakeholderTypeCode: "CUSTOMER",
        partnerUserId: request.customer.partnerUserId,
        ...(request.customer.email ? { userEmail: request.customer.email } : {}),
        ...(request.customer.firstName ? { userFirstName: request.customer.firstName } : {}),
        ...(request.customer.lastName ? { userLastName: request.customer.lastName } : {}),
      },
    ],
    autoCreateUsers: true,
    metadata: request.metadata,
  };
}

export function createSirProvider(client: SirClient): RewardsProvider {
  return {
    name: "sir",
    async submitPurchase(request): Promise<PurchaseReceipt> {
      try {
        const { action, replayed } = await client.submitAction(submitInput(request));
        return { actionId: action.actionId, tokensDistributed: action.tokensDistributed, replayed };
      } catch (error) {
        throw providerErrorFrom(error);
      }
    },
    async submitPurchases(requests): Promise<PurchaseOutcome[]> {
      const outcomes: PurchaseOutcome[] = [];
      for (let start = 0; start < requests.length; start += BULK_MAX_ACTIONS) {
        const chunk = requests.slice(start, start + BULK_MAX_ACTIONS);
        try {
          const { items } = await client.submitBulk(chunk.map(submitInput));
          for (const item of items) {
            outcomes.push(
              item.ok
                ? {
                    actionId: item.action.actionId,
                    tokensDistributed: item.action.tokensDistributed,
                    replayed: item.replayed,
                  }
                : providerErrorFrom(item.error),
            );
          }
        } catch (error) {
          const failure = providerErrorFrom(error);
          chunk.forEach(() => outcomes.push(failure));
        }
      }
      return outcomes;
    },
    async reversePurchase(request: ReversalRequest): Promise<ReversalReceipt> {
      try {
        const { reversal, replayed } = await client.reverseAction(request.actionId, {
          reversalPercentage: request.percent,
          reason: request.reason,
          refundIdempotencyKey: request.idempotencyKey,
        });
        const debt = reversal.breakdown.reduce((sum, entry) => sum + (entry.debt ?? 0), 0);
        return {
          reversalId: reversal.reversalTransactionId,
          tokensClawedBack: reversal.tokensClawedBack,
          debt,
          replayed,
        };
      } catch (error) {
        throw providerErrorFrom(error);
      }
    },
    async hasPoolBalance() {
      try {
        const pools = await client.listTokenPools();
        return pools.some((pool) => (pool.availableBalance ?? 0) > 0);
      } catch (error) {
        throw providerErrorFrom(error);
      }
    },
  };
}
