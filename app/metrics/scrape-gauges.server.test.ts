import { describe, expect, it } from "vitest";
import type { Database } from "../db.server";
import { createScrapeGauges } from "./scrape-gauges.server";
import { answerMetricsRequest } from "./endpoint.server";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

describe("the scrape's database gauges", () => {
  it("are left out, with metrics_database_up 0, when the database fails", async () => {
    const failing = new Proxy({} as Database, {
      get: () =>
        new Proxy({}, { get: () => () => Promise.reject(new Error("database unreachable")) }),
    });
    const text = await createScrapeGauges(failing).render({ answered: [], missing: ["worker"] });
    const scrape = parsePrometheusText(text);
    expect(sampleValue(scrape, "sir_rewards_metrics_database_up")).toBe(0);
    expect(sampleValue(scrape, "sir_rewards_metrics_thread_up", { thread: "worker" })).toBe(0);
    expect(scrape.samples.some((sample) => sample.name === "sir_rewards_rewards")).toBe(false);
    expect(scrape.samples.some((sample) => sample.name === "sir_rewards_inbox_backlog")).toBe(
      false,
    );
  });
});

describe("the Remix route's answer", () => {
  it("is the same as the fast path's: 404 while METRICS_TOKEN is unset", async () => {
    const response = await answerMetricsRequest(new Request("http://localhost/metrics"));
    expect(response.status).toBe(404);
  });
});
