import { isRecord } from "./assumptions";
import type { SirWebhookEnvelope } from "./types";

/**
 * Reads the documented envelope `{ id, type, createdAt, data }` from a body whose signature was
 * already verified; null when the shape is wrong.
 */
export function parseSirWebhookEnvelope(rawBody: string): SirWebhookEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (!isRecord(parsed)) return null;
  const { id, type, createdAt, data } = parsed;
  if (typeof id !== "string" || id === "" || typeof type !== "string") return null;
  if (typeof createdAt !== "string" || !isRecord(data)) return null;
  return { id, type, createdAt, data };
}
