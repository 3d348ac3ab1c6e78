// How hard Shopify is delivering webhooks to this process, shared with the worker thread: the
// webhook route counts each delivery in shared memory and the request thread turns the count
// into a rate that the worker reads before each pass, without messages. It is the deliveries
// that matter, not how busy the request thread is in general: every order the worker sends
// comes back as SIR's webhook, and the worker must not mistake its own echo for a burst.
const SAMPLE_MS = 20;
const SMOOTHING = 0.2;
const COUNT = 0;
const RATE = 1;

/** [deliveries so far, deliveries per second (smoothed)], shared between the threads. */
export type DeliveryRateCell = Int32Array;

const cell: DeliveryRateCell = new Int32Array(
  new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
);

/** Counts one Shopify webhook delivery (on the request thread). */
export function noteShopifyDelivery() {
  Atomics.add(cell, COUNT, 1);
}

/** Starts turning this thread's delivery count into a rate; stop() ends it. */
export function publishDeliveryRate(): { cell: DeliveryRateCell; stop(): void } {
  let counted = Atomics.load(cell, COUNT);
  let rate = 0;
  const timer = setInterval(() => {
    const count = Atomics.load(cell, COUNT);
    const sampled = ((count - counted) * 1000) / SAMPLE_MS;
    counted = count;
    rate += (sampled - rate) * SMOOTHING;
    Atomics.store(cell, RATE, Math.round(rate));
  }, SAMPLE_MS);
  timer.unref();
  return { cell, stop: () => clearInterval(timer) };
}

/** Shopify deliveries per second, as the worker thread reads it. */
export function readDeliveryRate(shared: DeliveryRateCell): number {
  return Atomics.load(shared, RATE);
}
