import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "node:http";
import { Counter, Registry } from "prom-client";
import {
  answerMetrics,
  bearerMatches,
  createMetricsSource,
  serveMetricsEndpoint,
} from "./endpoint.server";
import { noteWebhookAck, threadRegistry } from "./registry.server";
import { createThreadMetricsCollector, serveThreadMetrics } from "./thread-metrics.server";
import { parsePrometheusText, sampleValue } from "./prometheus-text";
import type { ScrapeGauges } from "./scrape-gauges.server";

const TOKEN = "metrics-test-token-0123456789";

// The database's gauges are exercised end to end (test/e2e/metrics.e2e.test.ts); here a stand-in.
const fakeGauges: ScrapeGauges = {
  render: async ({ answered, missing }) =>
    [
      "# HELP sir_rewards_metrics_thread_up Whether a thread answered.",
      "# TYPE sir_rewards_metrics_thread_up gauge",
      ...answered.map((thread) => `sir_rewards_metrics_thread_up{thread="${thread}"} 1`),
      ...missing.map((thread) => `sir_rewards_metrics_thread_up{thread="${thread}"} 0`),
      "",
    ].join("\n"),
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function otherThread(name: string, registry: Registry) {
  const stop = serveThreadMetrics(name, registry);
  cleanups.push(stop);
  return stop;
}

function collector() {
  const threads = createThreadMetricsCollector();
  cleanups.push(() => threads.close());
  return threads;
}

describe("bearerMatches", () => {
  it("accepts exactly the token, with the Bearer scheme", () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches("Bearer ", TOKEN)).toBe(false);
    expect(bearerMatches(null, TOKEN)).toBe(false);
  });
});

describe("answerMetrics", () => {
  const source = { render: async () => "# HELP x y\n# TYPE x counter\nx 1\n" };

  it("is 404 while no METRICS_TOKEN is set, whatever the request carries", async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}`]) {
      const answer = await answerMetrics("GET", authorization, { token: "", source });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain("x 1");
    }
  });

  it("is 401 without the right bearer token, and never echoes the token", async () => {
    for (const authorization of [undefined, "Bearer wrong", `Basic ${TOKEN}`]) {
      const answer = await answerMetrics("GET", authorization, { token: TOKEN, source });
      expect(answer.status).toBe(401);
      expect(answer.headers["WWW-Authenticate"]).toMatch(/^Bearer/);
      expect(JSON.stringify(answer)).not.toContain(TOKEN);
    }
  });

  it("is 200 in Prometheus's text format with the token", async () => {
    const answer = await answerMetrics("GET", `Bearer ${TOKEN}`, { token: TOKEN, source });
    expect(answer.status).toBe(200);
    expect(answer.headers["Content-Type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(answer.body).toBe("# HELP x y\n# TYPE x counter\nx 1\n");
    const head = await answerMetrics("HEAD", `Bearer ${TOKEN}`, { token: TOKEN, source });
    expect(head).toMatchObject({ status: 200, body: "" });
    expect((await answerMetrics("POST", `Bearer ${TOKEN}`, { token: TOKEN, source })).status).toBe(
      405,
    );
  });
});

describe("the scrape", () => {
  it("merges another thread's registry into one parseable text, each series with its thread", async () => {
    noteWebhookAck("orders/paid", 200, performance.now() - 4);
    noteWebhookAck("orders/paid", 200, performance.now() - 2);
    noteWebhookAck("orders/paid", 401, performance.now());
    const workerRegistry = new Registry();
    new Counter({
      name: "sir_rewards_provider_calls_total",
      help: "calls",
      labelNames: ["endpoint", "outcome"],
      registers: [workerRegistry],
    }).inc({ endpoint: "bulk", outcome: "ok" }, 3);
    otherThread("worker", workerRegistry);
    const threads = collector();
    await expect.poll(() => threads.known()).toEqual(["worker"]);

    const source = createMetricsSource({ threads, gauges: fakeGauges });
    const scrape = parsePrometheusText(await source.render());
    const acks = (status: string) =>
      sampleValue(scrape, "sir_rewards_webhook_acks_total", {
        topic: "orders/paid",
        status,
        thread: "main",
      });
    expect(acks("200")).toBe(2);
    expect(acks("401")).toBe(1);
    expect(
      sampleValue(scrape, "sir_rewards_webhook_ack_duration_seconds_count", {
        topic: "orders/paid",
        thread: "main",
      }),
    ).toBe(3);
    expect(
      sampleValue(scrape, "sir_rewards_webhook_ack_duration_seconds_bucket", {
        topic: "orders/paid",
        thread: "main",
        le: "+Inf",
      }),
    ).toBe(3);
    expect(
      sampleValue(scrape, "sir_rewards_provider_calls_total", {
        endpoint: "bulk",
        outcome: "ok",
        thread: "worker",
      }),
    ).toBe(3);
    expect(sampleValue(scrape, "sir_rewards_metrics_thread_up", { thread: "worker" })).toBe(1);
    expect(scrape.types.get("sir_rewards_webhook_ack_duration_seconds")).toBe("histogram");
    // Both threads' runtime figures, from this thread's registry at least.
    expect(
      sampleValue(scrape, "sir_rewards_heap_bytes", { kind: "used", thread: "main" }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(scrape, "sir_rewards_event_loop_delay_seconds", {
        quantile: "0.99",
        thread: "main",
      }),
    ).toBeGreaterThanOrEqual(0);
  });

  it("does not wait past the timeout for a thread that does not answer", async () => {
    const stuck = new Registry();
    stuck.getMetricsAsJSON = () => new Promise(() => {});
    otherThread("stuck", stuck);
    const threads = collector();
    await expect.poll(() => threads.known()).toEqual(["stuck"]);
    const source = createMetricsSource({ threads, gauges: fakeGauges, threadTimeoutMs: 100 });
    const startedAt = Date.now();
    const scrape = parsePrometheusText(await source.render());
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(sampleValue(scrape, "sir_rewards_metrics_thread_up", { thread: "stuck" })).toBe(0);
    expect(
      scrape.samples.some(
        (sample) =>
          sample.labels.thread === "stuck" && sample.name !== "sir_rewards_metrics_thread_up",
      ),
    ).toBe(false);
  });

  it("hears, on its first scrape, a thread that started before it", async () => {
    const registry = new Registry();
    new Counter({ name: "early_total", help: "early", registers: [registry] }).inc();
    otherThread("early", registry);
    const source = createMetricsSource({ threads: collector(), gauges: fakeGauges });
    const scrape = parsePrometheusText(await source.render());
    expect(sampleValue(scrape, "early_total", { thread: "early" })).toBe(1);
  });

  it("forgets a thread that stopped answering on purpose", async () => {
    const stop = otherThread("leaving", new Registry());
    const threads = collector();
    await expect.poll(() => threads.known()).toEqual(["leaving"]);
    stop();
    await expect.poll(() => threads.known()).toEqual([]);
  });

  it("is served by the production server's fast path, ahead of anything else", async () => {
    const server = createServer((request, response) => {
      if (!serveMetricsEndpoint(request, response)) response.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => server.close());
    const { port } = server.address() as { port: number };
    // METRICS_TOKEN is not set in the unit tests' environment: hidden.
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics?x=1`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metricsx`)).status).toBe(418);
  });
});

// The registry this thread's code counts into is the one the scrape reads.
it("counts into the thread's registry", () => {
  expect(threadRegistry.getSingleMetric("sir_rewards_webhook_acks_total")).toBeDefined();
});
