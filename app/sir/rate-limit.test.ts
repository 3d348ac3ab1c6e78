import { describe, expect, it } from "vitest";
import { RateLimitTracker } from "./rate-limit";

const START = 1_746_876_000_000;

function setup() {
  const clock = { now: START };
  const tracker = new RateLimitTracker(() => clock.now);
  const update = (limit: string, remaining: string, reset: string) =>
    tracker.update(
      new Headers({
        "X-RateLimit-Limit": limit,
        "X-RateLimit-Remaining": remaining,
        "X-RateLimit-Reset": reset,
      }),
    );
  return { clock, tracker, update };
}

describe("RateLimitTracker", () => {
  it("does not delay before any headers or with plenty remaining", () => {
    const { tracker, update } = setup();
    expect(tracker.delayBeforeNextRequestMs()).toBe(0);
    update("100", "10", "30");
    expect(tracker.delayBeforeNextRequestMs()).toBe(0);
  });

  it("reads a small Reset as seconds until reset and a large one as epoch seconds", () => {
    const { tracker, update } = setup();
    update("100", "0", "30");
    expect(tracker.snapshot()).toEqual({ limit: 100, remaining: 0, resetAtMs: START + 30_000 });
    update("100", "0", String(START / 1000 + 45));
    expect(tracker.snapshot()?.resetAtMs).toBe(START + 45_000);
  });

  it("waits until the reset when nothing remains", () => {
    const { clock, tracker, update } = setup();
    update("100", "0", "30");
    expect(tracker.delayBeforeNextRequestMs()).toBe(30_000);
    clock.now += 10_000;
    expect(tracker.delayBeforeNextRequestMs()).toBe(20_000);
    clock.now += 20_000;
    expect(tracker.delayBeforeNextRequestMs()).toBe(0);
  });

  it("spreads the last 10 % of the budget over the time to reset", () => {
    const { tracker, update } = setup();
    update("100", "5", "10");
    expect(tracker.reserveRequest()).toBe(2000);
    // The next caller queues behind the first: 4 left over 10 s, starting after the first's slot.
    expect(tracker.reserveRequest()).toBe(2500 + 2000);
  });

  it("measures spacing from the previous request", () => {
    const { clock, tracker, update } = setup();
    tracker.reserveRequest();
    update("100", "5", "10");
    clock.now += 1500;
    expect(tracker.delayBeforeNextRequestMs()).toBe(Math.ceil(8500 / 5 - 1500));
  });

  it("ignores incomplete or unreadable headers", () => {
    const { tracker, update } = setup();
    tracker.update(new Headers({ "X-RateLimit-Limit": "100" }));
    expect(tracker.snapshot()).toBeNull();
    update("100", "abc", "10");
    update("0", "0", "10");
    update("100", "1", "soon");
    expect(tracker.snapshot()).toBeNull();
  });
});
