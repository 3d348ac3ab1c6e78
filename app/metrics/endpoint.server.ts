// GET /metrics in Prometheus's text format, behind a bearer token (METRICS_TOKEN):
// - no METRICS_TOKEN configured: 404, as if there were no such endpoint;
// - a missing or wrong bearer token: 401 (the path is no secret; the answer tells an operator
//   that the scraper's token is what is wrong). Compared in constant time; never logged.
// Served by server.mjs ahead of Express and Remix (serveMetricsEndpoint), and by the Remix route
// app/routes/metrics.ts under `shopify app dev` (answerMetricsRequest).
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isMainThread } from "node:worker_threads";
import { AggregatorRegistry, Registry } from "prom-client";
import { config } from "../config.server";
import { threadRegistry } from "./registry.server";
import { createScrapeGauges, type ScrapeGauges } from "./scrape-gauges.server";
import { createThreadMetricsCollector, type ThreadMetricsCollector } from "./thread-metrics.server";

export const METRICS_PATH = "/metrics";
/** How long a scrape waits for a background thread's figures before leaving them out. */
export const THREAD_TIMEOUT_MS = 2_000;

export type MetricsAnswer = { status: number; headers: Record<string, string>; body: string };

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Whether the Authorization header carries the token: equal-length digests, timingSafeEqual. */
export function bearerMatches(authorization: string | null | undefined, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

export type MetricsSource = {
  /** The whole scrape in the text format: this thread's, the other threads', the database's. */
  render(): Promise<string>;
};

export function createMetricsSource(
  options: {
    registry?: Registry;
    threads?: ThreadMetricsCollector;
    gauges?: ScrapeGauges;
    threadTimeoutMs?: number;
  } = {},
): MetricsSource {
  const registry = options.registry ?? threadRegistry;
  let threads = options.threads;
  let gauges = options.gauges;
  return {
    async render() {
      threads ??= createThreadMetricsCollector();
      gauges ??= createScrapeGauges();
      const [own, others] = await Promise.all([
        registry.getMetricsAsJSON(),
        threads.collect(options.threadTimeoutMs ?? THREAD_TIMEOUT_MS),
      ]);
      // Each thread's series carry their thread label, so the aggregate keeps them apart and
      // writes each metric family once.
      const merged = AggregatorRegistry.aggregate([own, ...others.answered.map((t) => t.metrics)]);
      const app = await gauges.render({
        answered: others.answered.map((t) => t.thread),
        missing: others.missing,
      });
      return `${await merged.metrics()}\n${app}`;
    },
  };
}

// Created as the request thread loads this module, before server.mjs starts the worker thread,
// so the collector hears the worker introduce itself.
let defaultSource: MetricsSource | null = isMainThread
  ? createMetricsSource({ threads: createThreadMetricsCollector() })
  : null;

/** The answer to a request for /metrics, from its method and Authorization header. */
export async function answerMetrics(
  method: string,
  authorization: string | null | undefined,
  options: { token?: string; source?: MetricsSource } = {},
): Promise<MetricsAnswer> {
  const token = options.token ?? config.metricsToken;
  const text = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...headers },
    body,
  });
  if (!token) return text(404, "Not found.");
  if (!bearerMatches(authorization, token)) {
    return text(401, "A bearer token is required.", {
      "WWW-Authenticate": 'Bearer realm="metrics"',
    });
  }
  if (method !== "GET" && method !== "HEAD") return text(405, "Use GET.", { Allow: "GET, HEAD" });
  const source = options.source ?? (defaultSource ??= createMetricsSource());
  return {
    status: 200,
    headers: { "Content-Type": Registry.PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store" },
    body: method === "HEAD" ? "" : await source.render(),
  };
}

/**
 * server.mjs offers each request here after the webhook endpoints: answers /metrics and returns
 * true, or returns false for any other path.
 */
export function serveMetricsEndpoint(request: IncomingMessage, response: ServerResponse): boolean {
  const url = request.url ?? "";
  if (url !== METRICS_PATH && !url.startsWith(`${METRICS_PATH}?`)) return false;
  answerMetrics(request.method ?? "GET", request.headers.authorization).then(
    ({ status, headers, body }) => response.writeHead(status, headers).end(body),
    () => response.writeHead(500, { "Content-Type": "text/plain" }).end("Metrics unavailable."),
  );
  return true;
}

/** The Remix route's answer (the same as serveMetricsEndpoint's). */
export async function answerMetricsRequest(request: Request): Promise<Response> {
  const { status, headers, body } = await answerMetrics(
    request.method,
    request.headers.get("authorization"),
  );
  return new Response(request.method === "HEAD" ? null : body, { status, headers });
}
