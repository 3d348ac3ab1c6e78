// The metrics of the thread this module runs in: one prom-client registry per thread (each
// thread loads its own copy of this module). The request thread serves /metrics and merges the
// other threads' registries into its answer (thread-metrics.server.ts); every series carries the
// thread it was counted in as the `thread` label.
//
// What is counted on the hot path (a webhook's acknowledgement) is a counter and a histogram
// observation: no I/O, no allocation beyond prom-client's label lookup.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { isMainThread } from "node:worker_threads";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const METRIC_PREFIX = "sir_rewards_";

export const threadRegistry = new Registry();
threadRegistry.setDefaultLabels({ thread: isMainThread ? "main" : "worker" });

const webhookAcks = new Counter({
  name: `${METRIC_PREFIX}webhook_acks_total`,
  help: "Webhook deliveries answered, by topic (the endpoint's path after /webhooks/) and HTTP status.",
  labelNames: ["topic", "status"] as const,
  registers: [threadRegistry],
});

const webhookAckSeconds = new Histogram({
  name: `${METRIC_PREFIX}webhook_ack_duration_seconds`,
  help: "Time from a webhook request's arrival to its answer, by topic.",
  labelNames: ["topic"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [threadRegistry],
});

/**
 * A webhook answered: `topic` is the endpoint's path after /webhooks/ (a fixed set, so the
 * series stay few), `startedAt` the request's arrival in performance.now() milliseconds.
 */
export function noteWebhookAck(topic: string, status: number, startedAt: number) {
  webhookAcks.inc({ topic, status: String(status) });
  webhookAckSeconds.observe({ topic }, (performance.now() - startedAt) / 1000);
}

export type ProviderEndpoint = "submit" | "bulk" | "reverse" | "pool_check";
export type ProviderOutcome = "ok" | "replay" | "retryable" | "pool_empty" | "permanent";

const providerCalls = new Counter({
  name: `${METRIC_PREFIX}provider_calls_total`,
  help: "Calls to the rewards platform at the provider seam, by endpoint and outcome.",
  labelNames: ["endpoint", "outcome"] as const,
  registers: [threadRegistry],
});

const providerCallSeconds = new Histogram({
  name: `${METRIC_PREFIX}provider_call_duration_seconds`,
  help: "Duration of calls to the rewards platform at the provider seam, by endpoint.",
  labelNames: ["endpoint"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [threadRegistry],
});

const providerBulkItems = new Counter({
  name: `${METRIC_PREFIX}provider_bulk_items_total`,
  help: "Purchases sent in bulk calls, by each purchase's own outcome.",
  labelNames: ["outcome"] as const,
  registers: [threadRegistry],
});

const providerBulkBatching = new Counter({
  name: `${METRIC_PREFIX}provider_bulk_batching_total`,
  help: "Bulk calls by how the platform took them (batched, one_by_one, batching_unavailable).",
  labelNames: ["batching"] as const,
  registers: [threadRegistry],
});

export function noteProviderCall(
  endpoint: ProviderEndpoint,
  outcome: ProviderOutcome,
  startedAt: number,
) {
  providerCalls.inc({ endpoint, outcome });
  providerCallSeconds.observe({ endpoint }, (performance.now() - startedAt) / 1000);
}

export function noteBulkItems(outcomes: Iterable<ProviderOutcome>, batching?: string) {
  for (const outcome of outcomes) providerBulkItems.inc({ outcome });
  if (batching) providerBulkBatching.inc({ batching });
}

const retriesScheduled = new Counter({
  name: `${METRIC_PREFIX}retries_scheduled_total`,
  help: "Retries scheduled on the durable schedule: queue=reward (a call to the platform failed, retryable) or inbox (a webhook event could not apply yet).",
  labelNames: ["queue"] as const,
  registers: [threadRegistry],
});

// Present at 0 from the start, so a scrape shows that nothing was retried.
for (const queue of ["reward", "inbox"]) retriesScheduled.inc({ queue }, 0);

export function noteRetryScheduled(queue: "reward" | "inbox") {
  retriesScheduled.inc({ queue });
}

// The event loop's delay, sampled every 20 ms by Node (perf_hooks), reported and reset at each
// scrape: the figures are over the interval since the previous scrape.
const eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });
eventLoopDelay.enable();
const NS_PER_SECOND = 1e9;

new Gauge({
  name: `${METRIC_PREFIX}event_loop_delay_seconds`,
  help: "The thread's event-loop delay since the previous scrape: quantile 0.5, 0.99 and 1 (max).",
  labelNames: ["quantile"] as const,
  registers: [threadRegistry],
  collect() {
    const sampled = eventLoopDelay.count > 0;
    this.set({ quantile: "0.5" }, sampled ? eventLoopDelay.percentile(50) / NS_PER_SECOND : 0);
    this.set({ quantile: "0.99" }, sampled ? eventLoopDelay.percentile(99) / NS_PER_SECOND : 0);
    this.set({ quantile: "1" }, sampled ? eventLoopDelay.max / NS_PER_SECOND : 0);
    eventLoopDelay.reset();
  },
});

new Gauge({
  name: `${METRIC_PREFIX}heap_bytes`,
  help: "The thread's V8 heap: used, total (allocated) and limit.",
  labelNames: ["kind"] as const,
  registers: [threadRegistry],
  collect() {
    const heap = getHeapStatistics();
    this.set({ kind: "used" }, heap.used_heap_size);
    this.set({ kind: "total" }, heap.total_heap_size);
    this.set({ kind: "limit" }, heap.heap_size_limit);
  },
});

/** A webhook endpoint's topic label: its path after /webhooks/ ("orders/paid", "sir"). */
export function webhookTopicOfPath(path: string) {
  return path.startsWith("/webhooks/") ? path.slice("/webhooks/".length) : path;
}
