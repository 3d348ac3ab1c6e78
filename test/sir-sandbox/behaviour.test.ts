import { describe, expect, it } from "vitest";
import { behaviourFromList, defaultBehaviour } from "./behaviour";
import { control, purchase, signedRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";

const sandbox = useSandboxPartner({ options: { behaviour: { errorBody: "nest" } } });

describe("behaviour switches", () => {
  it("reads the comma-separated list of SIR_SANDBOX_BEHAVIOUR and the CLI flags", () => {
    expect(behaviourFromList(undefined)).toEqual(defaultBehaviour());
    expect(
      behaviourFromList(
        "no-bulk, error-body=text,bad-signature-status=403,rate-limit-reset=epoch-ms",
      ),
    ).toEqual({
      ...defaultBehaviour(),
      noBulk: true,
      errorBody: "text",
      badSignatureStatus: 403,
      rateLimitReset: "epoch-ms",
    });
    expect(() => behaviourFromList("no-such-switch")).toThrow(/unknown behaviour noSuchSwitch/);
    expect(() => behaviourFromList("error-body=xml")).toThrow(/errorBody must be one of/);
  });

  it("noBulk: actions/bulk answers exactly as an unknown route, and records nothing", async () => {
    await control(sandbox.url, "POST", "behaviour", { noBulk: true });
    const bulk = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/bulk",
      {
        actions: [purchase("order_1", 10)],
      },
    );
    const unknown = await signedRequest(
      sandbox.url,
      sandbox.partner,
      "POST",
      "/v1/partner/actions/bulkx",
      {
        actions: [purchase("order_1", 10)],
      },
    );
    expect(bulk.status).toBe(404);
    expect(bulk.json).toEqual({
      ...unknown.json,
      message: unknown.json.message.replace("bulkx", "bulk"),
    });
    const actions = await control(
      sandbox.url,
      "GET",
      `actions?partnerId=${sandbox.partner.partnerId}`,
    );
    expect(actions.json.actions).toEqual([]);
    const log = (await control(sandbox.url, "GET", "requests")).json.requests;
    expect(log[0]).toMatchObject({ path: "/v1/partner/actions/bulk", status: 404 });
    expect(log[0].actions).toBeUndefined();
  });

  it("the control API merges, refuses a bad field without change, and a reset restores the start", async () => {
    const merged = await control(sandbox.url, "POST", "behaviour", {
      webhookEnvelope: "alternate",
    });
    expect(merged.json).toMatchObject({ webhookEnvelope: "alternate", noBulk: false });
    const refused = await control(sandbox.url, "POST", "behaviour", { noBulk: true, errorBody: 1 });
    expect(refused.status).toBe(400);
    expect((await control(sandbox.url, "GET", "behaviour")).json.noBulk).toBe(false);
    sandbox.reset();
    expect((await control(sandbox.url, "GET", "behaviour")).json).toEqual(defaultBehaviour());
  });

  it("errorBody and badSignatureStatus change only how refusals look", async () => {
    await control(sandbox.url, "POST", "behaviour", { errorBody: "text", badSignatureStatus: 403 });
    const forged = await signedRequest(
      sandbox.url,
      { ...sandbox.partner, hmacSecret: "0".repeat(64) },
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_2", 10),
    );
    expect(forged.status).toBe(403);
    expect(forged.text).toBe("Forbidden resource");
  });
});
