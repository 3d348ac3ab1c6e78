// Counts and times the calls the pipeline makes at the provider seam, whatever the platform
// behind it: providerForShop wraps every provider it returns in this.
import { ProviderError, type RewardsProvider } from "../rewards/provider.server";
import {
  noteBulkItems,
  noteProviderCall,
  type ProviderEndpoint,
  type ProviderOutcome,
} from "./registry.server";

/** A failure's outcome: the provider's classification, or retryable as the pipeline treats it. */
export function outcomeOfFailure(error: unknown): ProviderOutcome {
  return error instanceof ProviderError ? error.kind : "retryable";
}

function outcomeOfReceipt(receipt: unknown): ProviderOutcome {
  return (receipt as { replayed?: boolean } | null)?.replayed ? "replay" : "ok";
}

function outcomeOfItem(item: unknown): ProviderOutcome {
  return item instanceof ProviderError ? item.kind : outcomeOfReceipt(item);
}

// The bulk call's answer: one outcome per purchase, as a list or as { outcomes, batching }.
function bulkAnswer(answer: unknown): { outcomes: unknown[]; batching?: string } {
  if (Array.isArray(answer)) return { outcomes: answer };
  const { outcomes, batching } = (answer ?? {}) as { outcomes?: unknown; batching?: unknown };
  return {
    outcomes: Array.isArray(outcomes) ? outcomes : [],
    batching: typeof batching === "string" ? batching : undefined,
  };
}

async function timed<T>(
  endpoint: ProviderEndpoint,
  call: () => Promise<T>,
  outcomeOf: (result: T) => ProviderOutcome,
): Promise<T> {
  const startedAt = performance.now();
  let result: T;
  try {
    result = await call();
  } catch (error) {
    noteProviderCall(endpoint, outcomeOfFailure(error), startedAt);
    throw error;
  }
  noteProviderCall(endpoint, outcomeOf(result), startedAt);
  return result;
}

const instrumented = new WeakSet<object>();

/**
 * The provider with each call counted by endpoint and outcome and timed. A bulk call's outcome
 * is the shared failure's kind when every purchase in it failed (the call as a whole, mostly),
 * else ok; each purchase's own outcome is counted in provider_bulk_items_total.
 * Anything else on the provider passes through untouched.
 */
export function instrumentProvider<P extends RewardsProvider>(provider: P): P {
  if (instrumented.has(provider)) return provider;
  const overrides: Partial<RewardsProvider> = {
    submitPurchase: (request) =>
      timed("submit", () => provider.submitPurchase(request), outcomeOfReceipt),
    submitPurchases: ((...args: Parameters<RewardsProvider["submitPurchases"]>) =>
      timed(
        "bulk",
        () => provider.submitPurchases(...args),
        (answer) => {
          const { outcomes, batching } = bulkAnswer(answer);
          const itemOutcomes = outcomes.map(outcomeOfItem);
          noteBulkItems(itemOutcomes, batching);
          const failures = outcomes.filter((item) => item instanceof ProviderError);
          return failures.length > 0 && failures.length === outcomes.length
            ? failures[0].kind
            : "ok";
        },
      )) as RewardsProvider["submitPurchases"],
    reversePurchase: (request) =>
      timed("reverse", () => provider.reversePurchase(request), outcomeOfReceipt),
    hasPoolBalance: () =>
      timed(
        "pool_check",
        () => provider.hasPoolBalance(),
        (hasBalance) => (hasBalance ? "ok" : "pool_empty"),
      ),
  };
  const wrapped = new Proxy(provider, {
    get(target, property, receiver) {
      return Object.prototype.hasOwnProperty.call(overrides, property)
        ? overrides[property as keyof RewardsProvider]
        : Reflect.get(target, property, receiver);
    },
  });
  instrumented.add(wrapped);
  return wrapped;
}
