/**
 * Contract: every ASSUMED behaviour of SIR (app/sir/assumptions.ts) against a sandbox switched
 * to do the other plausible thing (test/sir-sandbox/behaviour.ts). Each degrades, none fails.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSirProvider } from "../../app/providers/sir/sir-provider.server";
import { ProviderError, type PurchaseRequest } from "../../app/rewards/provider.server";
import {
  ContractSandbox,
  clientFor,
  type SandboxPartner,
  type TestClient,
} from "./contract-helpers";

let sandbox: ContractSandbox;
let partner: SandboxPartner;
let sir: TestClient;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());
afterEach(async () => {
  await sandbox.request("POST", "reset");
});
beforeEach(async () => {
  partner = await sandbox.createPartner({ poolBalance: 1_000_000 });
  sir = clientFor(sandbox.url, partner);
});

const behave = (behaviour: Record<string, unknown>) =>
  sandbox.request("POST", "behaviour", behaviour);

const purchaseRequest = (n: number): PurchaseRequest => ({
  idempotencyKey: `shopify:contract:order:${n}`,
  amount: `${n + 1}.00`,
  currency: "USD",
  customer: { partnerUserId: `customer-${n % 3}`, email: null, firstName: null, lastName: null },
  metadata: { orderId: String(n) },
});

describe("bulk: a SIR without the assumed bulk endpoint or shape", () => {
  it("noBulk: 404 as an unknown route → sent one by one under the same keys, each once", async () => {
    await behave({ noBulk: true });
    const provider = createSirProvider(sir.client);
    const requests = Array.from({ length: 12 }, (_, n) => purchaseRequest(n));

    const { outcomes, batching } = await provider.submitPurchases(requests);

    expect(batching).toBe("batching_unavailable");
    expect(outcomes.filter((outcome) => outcome instanceof ProviderError)).toEqual([]);
    expect(
      outcomes.map((outcome) => !(outcome instanceof ProviderError) && outcome.replayed),
    ).toEqual(requests.map(() => false));
    const actions = await sandbox.actions(partner.partnerId);
    expect(actions.map((action) => action.idempotencyKey).sort()).toEqual(
      requests.map((request) => request.idempotencyKey).sort(),
    );
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(
      arrivals.filter((request) => request.path.endsWith("/bulk")).map((r) => r.status),
    ).toEqual([404]);
    expect(arrivals.filter((request) => request.path.endsWith("/submit"))).toHaveLength(12);
  });

  it("batch: false sends one by one without trying bulk", async () => {
    const provider = createSirProvider(sir.client);
    const { batching } = await provider.submitPurchases([purchaseRequest(0)], { batch: false });
    expect(batching).toBe("one_by_one");
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map((request) => request.path)).toEqual(["/v1/partner/actions/submit"]);
  });

  it("bulkResponse job: 202 without per-item results → singles replay what bulk recorded, no double", async () => {
    await behave({ bulkResponse: "job" });
    const provider = createSirProvider(sir.client);
    const requests = Array.from({ length: 5 }, (_, n) => purchaseRequest(n));

    const { outcomes, batching } = await provider.submitPurchases(requests);

    expect(batching).toBe("batching_unavailable");
    // SIR dedupes on the idempotency key: each single submit is the bulk item's replay.
    expect(
      outcomes.map((outcome) =>
        outcome instanceof ProviderError
          ? outcome.message
          : [outcome.replayed, outcome.tokensDistributed],
      ),
    ).toEqual(requests.map((_, n) => [true, n + 1]));
    expect(await sandbox.actions(partner.partnerId)).toHaveLength(5);
    const pool = await sir.client.getTokenPoolBalance(partner.poolId);
    expect(pool.availableBalance).toBe(1_000_000 - (1 + 2 + 3 + 4 + 5));
  });

  it("with bulk on, the assumed shape is used: one call, per-item results", async () => {
    const provider = createSirProvider(sir.client);
    const { batching, outcomes } = await provider.submitPurchases([
      purchaseRequest(0),
      purchaseRequest(1),
    ]);
    expect(batching).toBe("batched");
    expect(outcomes.every((outcome) => !(outcome instanceof ProviderError))).toBe(true);
    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map((request) => request.path)).toEqual(["/v1/partner/actions/bulk"]);
  });
});
