/** A partner-side webhook endpoint for tests: records every delivery, answers as told. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  receivedAtMs: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status codes for the next deliveries, in order; 200 once they run out. */
  respondWith(statuses: number[]): void;
  /** Resolves once `count` deliveries have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let statuses: number[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
        receivedAtMs: Date.now(),
      });
      response.writeHead(statuses.shift() ?? 200).end();
      for (const waiter of waiters.filter((item) => received.length >= item.count))
        waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/webhooks/sir`,
    received,
    respondWith: (next) => {
      statuses = [...next];
    },
    waitFor: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (received.length >= count) return resolve(received.slice(0, count));
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `Only ${received.length} of ${count} webhooks arrived within ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice(0, count));
          },
        });
      }),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
