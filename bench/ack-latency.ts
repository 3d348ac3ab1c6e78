import { randomUUID } from "node:crypto";
import { Pipeline, type SandboxPartner } from "../test/helpers/pipeline";
import { buildShopifyWebhook, webhookPath } from "../test/helpers/shopify-webhooks";
import { startSandbox } from "../test/sir-sandbox/server";
import { PRODUCTION_WORKER_ENV, useFreshDatabase } from "./environment";
import { startChildServer } from "./child-server";
import { runPacedLoad, type LoadRequest, type PacedLoadResult } from "./paced-load";
import { trackPeakRss } from "./process-memory";
import { percentile } from "./stats";

export const ACK_RATE_PER_SECOND = 200;
export const ACK_DURATION_SECONDS = 30;
/** The same load first, not counted: a running server is warm (JIT, statements, pools). */
export const ACK_WARM_UP_SECONDS = 5;
/** Paid order bodies one ack run uses, warm-up included. */
export const ACK_ORDERS = ACK_RATE_PER_SECOND * (ACK_WARM_UP_SECONDS + ACK_DURATION_SECONDS);

export type AckRun = {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sent: number;
  ok: number;
  failures: Record<string, number>;
  achievedRate: number;
  sendLagP99Ms: number;
  peakRssMb: number;
};

export type AppAckRun = AckRun & {
  /** Orders the worker thread had sent to SIR when the load ended. */
  rewardedDuringLoad: number;
};

export function summarize(result: PacedLoadResult, peakRssMb: number): AckRun {
  const { latenciesMs, sent, ok, failures, achievedRate, sendLagP99Ms } = result;
  return {
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: latenciesMs[latenciesMs.length - 1],
    sent,
    ok,
    failures,
    achievedRate,
    sendLagP99Ms,
    peakRssMb,
  };
}

/** Signed orders/paid deliveries, one per paid order body, each with a new event id. */
function ordersPaidRequests(shop: string, bodies: readonly string[]) {
  return (index: number): LoadRequest => {
    const { rawBody, headers } = buildShopifyWebhook({
      topic: "orders/paid",
      shop,
      body: bodies[index],
      eventId: randomUUID(),
    });
    return { path: webhookPath("orders/paid"), headers, body: rawBody };
  };
}

/** The load each server gets: the warm-up, then the measured run; every delivery a new order. */
export async function warmThenMeasure(
  baseUrl: string,
  shop: string,
  bodies: readonly string[],
  onTick: () => void,
) {
  if (bodies.length < ACK_ORDERS) throw new Error(`the ack load needs ${ACK_ORDERS} orders`);
  const measured = ACK_RATE_PER_SECOND * ACK_DURATION_SECONDS;
  await runPacedLoad({
    baseUrl,
    ratePerSecond: ACK_RATE_PER_SECOND,
    durationSeconds: ACK_WARM_UP_SECONDS,
    request: ordersPaidRequests(shop, bodies.slice(measured)),
    onTick,
  });
  return runPacedLoad({
    baseUrl,
    ratePerSecond: ACK_RATE_PER_SECOND,
    durationSeconds: ACK_DURATION_SECONDS,
    request: ordersPaidRequests(shop, bodies),
    onTick,
  });
}

/**
 * The app's production server on SQLite, its worker running in its thread as in production,
 * acknowledging paid orders at a fixed rate while SIR answers after `sirLatencyMs`.
 */
export async function measureAppAck(
  bodies: readonly string[],
  sirLatencyMs: number,
): Promise<AppAckRun> {
  const database = await useFreshDatabase("sqlite");
  const pipeline = await Pipeline.start({ appEnv: PRODUCTION_WORKER_ENV });
  try {
    const { shop } = await pipeline.connectNewShop();
    await pipeline.control("POST", "faults", { latencyMs: sirLatencyMs });
    const memory = trackPeakRss(pipeline.app.process.pid!);
    const result = await warmThenMeasure(pipeline.app.url, shop, bodies, memory.sample);
    const rewardedDuringLoad = await pipeline.db.reward.count({
      where: { shopDomain: shop, status: "rewarded" },
    });
    return { ...summarize(result, memory.peakMb()), rewardedDuringLoad };
  } finally {
    await pipeline.stop();
    await database.drop();
  }
}

/** The same load against the inline baseline (bench/inline-baseline-server.ts). */
export async function measureInlineBaselineAck(
  bodies: readonly string[],
  sirLatencyMs: number,
): Promise<AckRun> {
  const sandbox = await startSandbox({ port: 0 });
  const partner = (await (
    await fetch(`${sandbox.url}/__sandbox/partners`, { method: "POST" })
  ).json()) as SandboxPartner;
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ latencyMs: sirLatencyMs }),
  });
  const baseline = await startChildServer("inline-baseline-server.ts", {
    SIR_URL: sandbox.url,
    SIR_SECRET_KEY: partner.secretKey,
    SIR_HMAC_SECRET: partner.hmacSecret,
  });
  try {
    const memory = trackPeakRss(baseline.pid);
    const result = await warmThenMeasure(
      baseline.url,
      "baseline.myshopify.com",
      bodies,
      memory.sample,
    );
    return summarize(result, memory.peakMb());
  } finally {
    await baseline.stop();
    await sandbox.close();
  }
}
