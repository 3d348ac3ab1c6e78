import { describe, expect, it } from "vitest";
import {
  bulkItemIsReplay,
  donationIdFromReturnUrl,
  rateLimitResetToEpochMs,
  readBulkItems,
  readId,
  readList,
  REVERSAL_PERCENTAGE_PATTERN,
} from "./assumptions";

describe("rateLimitResetToEpochMs", () => {
  const now = 1_746_876_000_000;
  it("treats values above 1e9 as epoch seconds, others as seconds from now", () => {
    expect(rateLimitResetToEpochMs("1746876060", now)).toBe(1_746_876_060_000);
    expect(rateLimitResetToEpochMs("60", 1_000)).toBe(61_000);
    expect(rateLimitResetToEpochMs("", 1_000)).toBeNull();
    expect(rateLimitResetToEpochMs("-1", 1_000)).toBeNull();
  });

  // IF WRONG: epoch milliseconds read as seconds would hold every call back for millennia.
  it("reads values above 1e12 as epoch ms, and ignores a reset more than an hour ahead", () => {
    expect(rateLimitResetToEpochMs("1746876060000", now)).toBe(1_746_876_060_000);
    expect(rateLimitResetToEpochMs(String(now + 2 * 3_600_000), now)).toBeNull();
    expect(rateLimitResetToEpochMs("7200", now)).toBeNull();
    expect(rateLimitResetToEpochMs("3600", now)).toBe(now + 3_600_000);
  });
});

describe("readList", () => {
  it("accepts a named list, a data list or a bare array", () => {
    const pools = [{ id: "p1" }];
    expect(readList({ pools }, "pools")).toEqual(pools);
    expect(readList({ data: pools, meta: {} }, "pools")).toEqual(pools);
    expect(readList(pools, "pools")).toEqual(pools);
    expect(readList({ other: pools }, "pools")).toBeNull();
    expect(readList("nope", "pools")).toBeNull();
  });
});

describe("readId", () => {
  it("falls back from the primary field to id and _id", () => {
    expect(readId({ actionId: "a1", id: "x" }, "actionId")).toBe("a1");
    expect(readId({ _id: "65f1" })).toBe("65f1");
    expect(readId({ id: 5 })).toBeNull();
  });
});

describe("readBulkItems", () => {
  it("reads results with their fields and recognises replays", () => {
    const items = readBulkItems({
      results: [
        { index: 0, status: 200, idempotencyKey: "k0", result: { actionId: "a0" } },
        { index: 1, status: "IDEMPOTENT", idempotencyKey: "k1", result: { actionId: "a1" } },
        "junk",
      ],
    });
    expect(items).toHaveLength(2);
    expect(items?.[0]).toMatchObject({ index: 0, status: 200, idempotencyKey: "k0" });
    expect(items?.map(bulkItemIsReplay)).toEqual([false, true]);
    expect(readBulkItems({ nothing: true })).toBeNull();
  });
});

describe("REVERSAL_PERCENTAGE_PATTERN", () => {
  it("allows up to two decimals", () => {
    expect(REVERSAL_PERCENTAGE_PATTERN.test("33.33")).toBe(true);
    expect(REVERSAL_PERCENTAGE_PATTERN.test("100")).toBe(true);
    expect(REVERSAL_PERCENTAGE_PATTERN.test("33.333")).toBe(false);
    expect(REVERSAL_PERCENTAGE_PATTERN.test("1000")).toBe(false);
  });
});

describe("donationIdFromReturnUrl", () => {
  it("reads sir_donation_id from the return URL", () => {
    expect(donationIdFromReturnUrl("https://shop.example/thanks?sir_donation_id=pd_1")).toBe(
      "pd_1",
    );
    expect(donationIdFromReturnUrl("https://shop.example/thanks")).toBeNull();
    expect(donationIdFromReturnUrl("not a url")).toBeNull();
  });
});
