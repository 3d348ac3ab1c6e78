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
    expect(parseSirWebhookEnvelope('{"type":"action.completed","data":{}}')).toBeNull();
    expect(
      parseSirWebhookEnvelope('{"id":"evt_1","type":"x","createdAt":"t","data":"nope"}'),
    ).toBeNull();
  });
});
