import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { summarize, warmThenMeasure, type AckRun } from "./ack-latency";
import { startChildServer } from "./child-server";
import { trackPeakRss } from "./process-memory";

/**
 * The same load as the app's ack runs against the bare reference server
 * (bench/reference-ack-server.ts: Shopify's HMAC, one prepared SQLite insert, the 200), on a
 * fresh SQLite file in the machine's temporary directory.
 */
export async function measureReferenceAck(bodies: readonly string[]): Promise<AckRun> {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-reference-ack-"));
  const reference = await startChildServer("reference-ack-server.ts", {
    REFERENCE_DB: join(dir, "inbox.sqlite"),
  });
  try {
    const memory = trackPeakRss(reference.pid);
    const result = await warmThenMeasure(
      reference.url,
      "reference.myshopify.com",
      bodies,
      memory.sample,
    );
    return summarize(result, memory.peakMb());
  } finally {
    await reference.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
