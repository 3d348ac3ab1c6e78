import { describe, expect, it } from "vitest";
import { webhookDedupeKey } from "./assumptions";
import { parseSirWebhookEnvelope } from "./webhook-envelope";

describe("parseSirWebhookEnvelope", () => {
  it("reads the documented envelope", () => {
    const envelope = parseSirWebhookEnvelope(
      JSON.stringify({
        id: "evt_1",
        type: "action.completed",
        createdAt: "2026-11-28T00:00:00Z",
        data: { actionId: "a1" },
      }),
    );
    expect(envelope).toEqual({
      id: "evt_1",
      type: "action.completed",
      createdAt: "2026-11-28T00:00:00Z",
      data: { actionId: "a1" },
    });
    expect(webhookDedupeKey(envelope!)).toBe("evt_1");
  });

  it("returns null for bodies that are not an envelope", () => {
    expect(parseSirWebhookEnvelope("not json")).toBeNull();
    expect(parseSirWebhookEnvelope("[]")).toBeNull();
    expect(parseSirWebhookEnvelope('{"id":"evt_1","data":{}}')).toBeNull();
    expect(
      parseSirWebhookEnvelope('{"id":"evt_1","type":"x","createdAt":"t","data":"nope"}'),
    ).toBeNull();
  });

  // ASSUMED field names; a SIR that names them otherwise is still read, never refused.
  it("reads other plausible field names, and dedupes an id-less body on its hash", () => {
    const alternate = parseSirWebhookEnvelope(
      JSON.stringify({
        eventId: "evt_2",
        event: "token_pool.refilled",
        timestamp: "2026-11-28T00:00:00Z",
        payload: { poolId: "p1" },
      }),
    );
    expect(alternate).toEqual({
      id: "evt_2",
      type: "token_pool.refilled",
      createdAt: "2026-11-28T00:00:00Z",
      data: { poolId: "p1" },
    });
    const body = '{"event_type":"action.completed","created":1764547200,"data":{"actionId":"a"}}';
    const idless = parseSirWebhookEnvelope(body)!;
    expect(idless.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseSirWebhookEnvelope(body)!.id).toBe(idless.id);
    expect(idless.createdAt).toBe(new Date(1764547200 * 1000).toISOString());
    expect(idless.type).toBe("action.completed");
  });
});
