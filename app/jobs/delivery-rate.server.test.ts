import { afterEach, describe, expect, it } from "vitest";
import { noteShopifyDelivery, publishDeliveryRate, readDeliveryRate } from "./delivery-rate.server";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Shopify delivery rate shared with the worker thread", () => {
  let stop = () => {};
  afterEach(() => stop());

  it("rises while deliveries arrive and falls back to nothing after them", async () => {
    const published = publishDeliveryRate();
    stop = published.stop;
    expect(readDeliveryRate(published.cell)).toBe(0);

    // About 200 deliveries a second for half a second, as in a Black-Friday burst.
    for (let tick = 0; tick < 50; tick++) {
      noteShopifyDelivery();
      noteShopifyDelivery();
      await wait(10);
    }
    const duringBurst = readDeliveryRate(published.cell);
    expect(duringBurst).toBeGreaterThan(50);
    expect(duringBurst).toBeLessThan(400);

    await wait(1_000);
    expect(readDeliveryRate(published.cell)).toBeLessThan(20);
    // Shared memory, so a worker thread given the cell reads the same numbers.
    expect(published.cell.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
