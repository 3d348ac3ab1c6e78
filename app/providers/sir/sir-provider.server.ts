import {
  BULK_MAX_ACTIONS,
  isSirError,
  type SirClient,
  type SirErrorCode,
  type SubmitActionInput,
} from "../../sir";
import {
  FractionalPercentRefused,
  ProviderError,
  type PurchaseBatch,
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
  // A 403 that says neither which (see FORBIDDEN in app/sir/assumptions.ts): both causes.
  FORBIDDEN:
    "SIR refused the app's keys (HTTP 403 without saying why): the secret key or HMAC secret may be wrong, the server clock off, or the key may lack a permission (actions:write, actions:reverse). Check the keys in Settings.",
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

// Single submits sent at once when a batch goes one by one: enough to keep a batch of 100
// moving at SIR's latency, few enough that the client's rate-limit pacing can keep up.
const ONE_BY_ONE_CONCURRENCY = 8;

export function createSirProvider(client: SirClient): RewardsProvider {
  async function submitPurchase(request: PurchaseRequest): Promise<PurchaseReceipt> {
    try {
      const { action, replayed } = await client.submitAction(submitInput(request));
      return { actionId: action.actionId, tokensDistributed: action.tokensDistributed, replayed };
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }

  /** Each request through the documented single submit; one outcome each, in order. */
  async function submitEach(requests: readonly PurchaseRequest[]): Promise<PurchaseOutcome[]> {
    const outcomes: PurchaseOutcome[] = new Array(requests.length);
    let next = 0;
    const lane = async () => {
      while (next < requests.length) {
        const index = next++;
        outcomes[index] = await submitPurchase(requests[index]).catch((error: unknown) =>
          error instanceof ProviderError ? error : providerErrorFrom(error),
        );
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(ONE_BY_ONE_CONCURRENCY, requests.length) }, lane),
    );
    return outcomes;
  }

  return {
    name: "sir",
    submitPurchase,
    async submitPurchases(requests, { batch = true } = {}): Promise<PurchaseBatch> {
      if (!batch) return { outcomes: await submitEach(requests), batching: "one_by_one" };
      const outcomes: PurchaseOutcome[] = [];
      let unavailable = false;
      for (let start = 0; start < requests.length; start += BULK_MAX_ACTIONS) {
        const chunk = requests.slice(start, start + BULK_MAX_ACTIONS);
        if (unavailable) {
          outcomes.push(...(await submitEach(chunk)));
          continue;
        }
        try {
          const result = await client.submitBulk(chunk.map(submitInput));
          if (result.unavailable) {
            // SIR has no bulk endpoint in the shape we assumed (assumptions.ts). The documented
            // single submit is the contract of record, and SIR dedupes on the idempotency key,
            // so sending each under the same key after a refused bulk call cannot double one.
            unavailable = true;
            outcomes.push(...(await submitEach(chunk)));
            continue;
          }
          // Items SIR gave no readable answer for are sent alone, under the same key (safe: SIR
          // dedupes on it, so one recorded by the bulk call comes back as its replay).
          const alone = result.items.flatMap((item, index) =>
            !item.ok && item.sendAlone ? [index] : [],
          );
          const aloneOutcomes = await submitEach(alone.map((index) => chunk[index]));
          const resent = new Map(alone.map((index, i) => [index, aloneOutcomes[i]]));
          result.items.forEach((item, index) => {
            outcomes.push(
              resent.get(index) ??
                (item.ok
                  ? {
                      actionId: item.action.actionId,
                      tokensDistributed: item.action.tokensDistributed,
                      replayed: item.replayed,
                    }
                  : providerErrorFrom(item.error)),
            );
          });
        } catch (error) {
          const failure = providerErrorFrom(error);
          chunk.forEach(() => outcomes.push(failure));
        }
      }
      return { outcomes, batching: unavailable ? "batching_unavailable" : "batched" };
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
        // reversalPercentage with 2 decimals is ASSUMED (the docs say "1–100"): a VALIDATION
        // refusal of a fractional one may mean whole percentages only (assumptions.ts).
        if (
          isSirError(error) &&
          error.code === "VALIDATION" &&
          (error.status === 400 || error.status === 422) &&
          !/^\d+(\.0+)?$/.test(request.percent)
        ) {
          throw new FractionalPercentRefused(providerErrorFrom(error).message);
        }
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
