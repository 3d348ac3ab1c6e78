import { describe, expect, it } from "vitest";
import { TokenBuckets, TtlCache } from "./throttle.server";

describe("TokenBuckets", () => {
  it("allows a burst of the capacity, then one per refill interval, per key", () => {
    let now = 0;
    const buckets = new TokenBuckets(30, 60_000, () => now);
    for (let index = 0; index < 30; index += 1) expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("a")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(buckets.take("b").allowed).toBe(true);
    now += 2_000; // 60 s / 30 = one token every 2 s
    expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("a").allowed).toBe(false);
    now += 60_000;
    for (let index = 0; index < 30; index += 1) expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("a").allowed).toBe(false);
  });

  it("forgets the least recently used keys past its size", () => {
    const buckets = new TokenBuckets(1, 60_000, () => 0, 2);
    buckets.take("a");
    buckets.take("b");
    buckets.take("c"); // "a" forgotten: a full bucket again
    expect(buckets.take("a").allowed).toBe(true);
    expect(buckets.take("c").allowed).toBe(false);
  });
});

describe("TtlCache", () => {
  it("loads once per key per minute, sharing a load in flight", async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>(60_000, () => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("k", load), cache.get("k", load)])).toEqual([1, 1]);
    now += 59_999;
    expect(await cache.get("k", load)).toBe(1);
    expect(await cache.get("other", load)).toBe(2);
    now += 1;
    expect(await cache.get("k", load)).toBe(3);
  });

  it("does not keep a rejected load", async () => {
    const cache = new TtlCache<number>(60_000, () => 0);
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => 7)).toBe(7);
  });
});
