import { describe, expect, it } from "vitest";
import { SirError, type SirClient, type SubmitActionInput } from "../../sir";
import { ProviderError, type PurchaseRequest } from "../../rewards/provider.server";
import { createSirProvider } from "./sir-provider.server";

const request = (n: number): PurchaseRequest => ({
  idempotencyKey: `key-${n}`,
  amount: "10.00",
  currency: "USD",
  customer: { partnerUserId: `c${n}`, email: null, firstName: null, lastName: null },
  metadata: {},
});

const action = (key: string) => ({
  actionId: `act-${key}`,
  idempotencyKey: key,
  status: "COMPLETED",
  tokensDistributed: 10,
  transactionIds: [],
});

/** A client whose bulk call answers `bulk`, and whose single submits are recorded. */
function stubClient(bulk: SirClient["submitBulk"]) {
  const singles: string[] = [];
  const client = {
    submitBulk: bulk,
    async submitAction(input: SubmitActionInput) {
      singles.push(input.idempotencyKey);
      return { action: action(input.idempotencyKey), replayed: true };
    },
  } as unknown as SirClient;
  return { client, singles };
}

describe("the SIR provider's batches", () => {
  it("sends alone, under the same key, only the items SIR gave no readable answer for", async () => {
    const unreadable = new SirError({ code: "SERVER", message: "no readable result" });
    const refused = new SirError({ code: "VALIDATION", status: 400, message: "bad amount" });
    const { client, singles } = stubClient(async () => ({
      unavailable: null,
      items: [
        { index: 0, idempotencyKey: "key-0", ok: true, action: action("key-0"), replayed: false },
        { index: 1, idempotencyKey: "key-1", ok: false, error: unreadable, sendAlone: true },
        { index: 2, idempotencyKey: "key-2", ok: false, error: refused, sendAlone: false },
      ],
    }));

    const { outcomes, batching } = await createSirProvider(client).submitPurchases(
      [0, 1, 2].map(request),
    );

    expect(batching).toBe("batched");
    expect(singles).toEqual(["key-1"]);
    expect(outcomes[0]).toMatchObject({ actionId: "act-key-0", replayed: false });
    expect(outcomes[1]).toMatchObject({ actionId: "act-key-1", replayed: true });
    expect(outcomes[2]).toBeInstanceOf(ProviderError);
    expect(outcomes[2]).toMatchObject({ kind: "permanent" });
  });

  it("goes one by one for this and every later chunk once bulk is unavailable", async () => {
    let bulkCalls = 0;
    const { client, singles } = stubClient(async () => {
      bulkCalls += 1;
      return { items: [], unavailable: { status: 404, reason: "HTTP 404" } };
    });
    const requests = Array.from({ length: 150 }, (_, n) => request(n));

    const { outcomes, batching } = await createSirProvider(client).submitPurchases(requests);

    expect(batching).toBe("batching_unavailable");
    expect(bulkCalls).toBe(1);
    expect(singles.sort()).toEqual(requests.map((r) => r.idempotencyKey).sort());
    expect(outcomes.map((outcome) => (outcome as { actionId: string }).actionId)).toEqual(
      requests.map((r) => `act-${r.idempotencyKey}`),
    );
  });

  it("keeps a retryable whole-call failure retryable for each item, sending nothing alone", async () => {
    const { client, singles } = stubClient(async () => {
      throw new SirError({ code: "SERVER", status: 503, message: "down" });
    });
    const { outcomes } = await createSirProvider(client).submitPurchases([request(0), request(1)]);
    expect(singles).toEqual([]);
    expect(outcomes.map((outcome) => (outcome as ProviderError).kind)).toEqual([
      "retryable",
      "retryable",
    ]);
  });
});
