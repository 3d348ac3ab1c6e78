import http from "node:http";
import { percentile } from "./stats";

export type LoadRequest = { path: string; headers: Record<string, string>; body: string };

export type PacedLoadResult = {
  sent: number;
  /** Answered 200. */
  ok: number;
  /** Other answers by status, and "timeout" / "error" for none. */
  failures: Record<string, number>;
  /**
   * Send to end of response in milliseconds, sorted ascending, failures included; a request
   * that timed out counts as the timeout (a lower bound of its latency).
   */
  latenciesMs: number[];
  achievedRate: number;
  /** How late the loader sent its requests against the schedule (its own accuracy). */
  sendLagP99Ms: number;
};

/** Shopify's own limit: a delivery not answered within 5 s has failed and will be retried. */
export const SHOPIFY_TIMEOUT_MS = 5_000;

/**
 * An open-loop load generator at a fixed request rate: request i leaves at start + i / rate,
 * whether or not earlier ones were answered, over keep-alive connections. autocannon's
 * `overallRate` is closed-loop and releases each second's quota in a burst when its one-second
 * timer fires (lib/httpClient.js), which is neither a steady 200/s nor free of coordinated
 * omission, so this small loader is used instead.
 */
export async function runPacedLoad(options: {
  baseUrl: string;
  ratePerSecond: number;
  durationSeconds: number;
  request: (index: number) => LoadRequest;
  /** Called every 100 ms while the load runs (e.g. to sample memory). */
  onTick?: () => void;
}): Promise<PacedLoadResult> {
  const { ratePerSecond, durationSeconds } = options;
  const total = Math.round(ratePerSecond * durationSeconds);
  const target = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latenciesMs: number[] = [];
  const lags: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  const inFlight: Promise<void>[] = [];

  const send = (index: number) => {
    const { path, headers, body } = options.request(index);
    const startedAt = performance.now();
    return new Promise<void>((resolve) => {
      let finished = false;
      const done = (outcome: number | "timeout" | "error") => {
        if (finished) return;
        finished = true;
        latenciesMs.push(performance.now() - startedAt);
        if (outcome === 200) ok++;
        else failures[outcome] = (failures[outcome] ?? 0) + 1;
        resolve();
      };
      // Timed from the send, not from getting a socket: an app that stops accepting
      // connections must show up as timeouts, not stall the loader.
      const timeout = AbortSignal.timeout(SHOPIFY_TIMEOUT_MS);
      const failed = () => done(timeout.aborted ? "timeout" : "error");
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: "POST",
          path,
          headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
          signal: timeout,
        },
        (response) => {
          response.resume();
          response.on("end", () => done(response.statusCode ?? 0));
          response.on("error", failed);
        },
      );
      request.on("error", failed);
      request.end(body);
    });
  };

  const ticker = options.onTick ? setInterval(options.onTick, 100) : null;
  const startedAt = performance.now();
  const intervalMs = 1000 / ratePerSecond;
  for (let index = 0; index < total; index++) {
    const dueAt = startedAt + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lags.push(Math.max(0, performance.now() - dueAt));
    inFlight.push(send(index));
  }
  const sendingMs = performance.now() - startedAt;
  await Promise.all(inFlight);
  if (ticker) clearInterval(ticker);
  agent.destroy();

  latenciesMs.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    sent: total,
    ok,
    failures,
    latenciesMs,
    achievedRate: total / ((sendingMs + intervalMs) / 1000),
    sendLagP99Ms: percentile(lags, 99),
  };
}
