import { createHash } from "node:crypto";
import { WEBHOOK_ENVELOPE_FIELDS, isRecord } from "./assumptions";
import type { SirWebhookEnvelope } from "./types";

/**
 * Reads the envelope of a body whose signature was already verified: the documented
 * `{ id, type, createdAt, data }`, or the same under other plausible names
 * (WEBHOOK_ENVELOPE_FIELDS). Without an id, the body's SHA-256 stands in for it (every attempt
 * of a delivery sends the same body, so redeliveries still dedupe); without a readable time, the
 * time it was read. Null when
 * there is no event type or no data object.
 */
export function parseSirWebhookEnvelope(rawBody: string): SirWebhookEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  const pick = (names: readonly string[]) => names.map((name) => parsed[name]).find(present);
  const id = pick(WEBHOOK_ENVELOPE_FIELDS.id);
  const type = pick(WEBHOOK_ENVELOPE_FIELDS.type);
  const createdAt = pick(WEBHOOK_ENVELOPE_FIELDS.createdAt);
  const data = WEBHOOK_ENVELOPE_FIELDS.data.map((name) => parsed[name]).find(isRecord);
  if (typeof type !== "string" || type === "" || !data) return null;
  return {
    id:
      typeof id === "string" && id !== ""
        ? id
        : `sha256:${createHash("sha256").update(rawBody).digest("hex")}`,
    type,
    createdAt: isoTime(createdAt),
    data,
  };
}

/** An ISO time from text or epoch seconds/ms; when SIR sends none we can read, the time now. */
function isoTime(value: unknown): string {
  const time =
    typeof value === "number"
      ? new Date(value > 1e12 ? value : value * 1000)
      : typeof value === "string"
        ? new Date(value)
        : null;
  if (!time || Number.isNaN(time.getTime())) return new Date().toISOString();
  return typeof value === "string" ? value : time.toISOString();
}

const present = (value: unknown) => value !== undefined && value !== null;
