// The other threads' metrics reach the request thread's scrape over a BroadcastChannel: a
// background thread answers "collect" with its registry as JSON; the request thread waits for
// the threads it knows of, never longer than a short timeout, so a busy or dead thread costs a
// scrape its series (and thread_up 0), never the scrape itself.
import { BroadcastChannel } from "node:worker_threads";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import { threadRegistry } from "./registry.server";

const CHANNEL = "sir-rewards:metrics";
/** How long a new collector gives the threads already running to introduce themselves. */
const INTRODUCTION_MS = 100;

type MetricJson = MetricObjectWithValues<MetricValue<string>>;

type MetricsMessage =
  | { type: "hello"; thread: string }
  | { type: "bye"; thread: string }
  | { type: "who" }
  | { type: "collect"; id: string }
  | { type: "metrics"; id: string; thread: string; metrics: MetricJson[] };

export type ThreadMetrics = { thread: string; metrics: MetricJson[] };

/**
 * Called once in a background thread: names its series `thread=<thread>` and answers the request
 * thread's scrapes. Returns a function that stops answering (and says so).
 */
export function serveThreadMetrics(thread: string, registry = threadRegistry): () => void {
  registry.setDefaultLabels({ thread });
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const message = (event as { data: MetricsMessage }).data;
    if (message.type === "who") channel.postMessage({ type: "hello", thread });
    if (message.type !== "collect") return;
    registry.getMetricsAsJSON().then(
      (metrics) => channel.postMessage({ type: "metrics", id: message.id, thread, metrics }),
      () => {}, // a collect that fails leaves this thread out of the scrape (thread_up 0)
    );
  };
  channel.postMessage({ type: "hello", thread } satisfies MetricsMessage);
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    channel.postMessage({ type: "bye", thread } satisfies MetricsMessage);
    channel.close();
  };
}

export type ThreadMetricsCollector = {
  /** The threads known to answer (they said hello, or answered before). */
  known(): string[];
  /** Each known thread's metrics that arrived within the timeout, and which did not. */
  collect(timeoutMs: number): Promise<{ answered: ThreadMetrics[]; missing: string[] }>;
  close(): void;
};

export function createThreadMetricsCollector(): ThreadMetricsCollector {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  const threads = new Set<string>();
  const pending = new Map<string, (reply: ThreadMetrics) => void>();
  let sequence = 0;
  channel.onmessage = (event) => {
    const message = (event as { data: MetricsMessage }).data;
    if (message.type === "hello") threads.add(message.thread);
    else if (message.type === "bye") threads.delete(message.thread);
    else if (message.type === "metrics") {
      threads.add(message.thread);
      pending.get(message.id)?.({ thread: message.thread, metrics: message.metrics });
    }
  };
  // Threads started before this collector existed introduce themselves; a collect this soon
  // after waits for their answers first.
  channel.postMessage({ type: "who" } satisfies MetricsMessage);
  const introduced = new Promise((resolve) => setTimeout(resolve, INTRODUCTION_MS).unref());

  return {
    known: () => [...threads],
    async collect(timeoutMs) {
      await introduced;
      const expected = new Set(threads);
      const answered = new Map<string, ThreadMetrics>();
      const id = `${process.pid}:${++sequence}`;
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          pending.delete(id);
          resolve({
            answered: [...answered.values()],
            missing: [...expected].filter((thread) => !answered.has(thread)),
          });
        };
        const timer = setTimeout(finish, expected.size === 0 ? 0 : timeoutMs);
        pending.set(id, (reply) => {
          answered.set(reply.thread, reply);
          if ([...expected].every((thread) => answered.has(thread))) finish();
        });
        if (expected.size > 0)
          channel.postMessage({ type: "collect", id } satisfies MetricsMessage);
      });
    },
    close: () => channel.close(),
  };
}
