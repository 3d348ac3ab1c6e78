import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_WEBHOOK_BYTES } from "./request-guards.server";
import { noteWebhookAck, webhookTopicOfPath } from "../metrics/registry.server";

/**
 * What a webhook receiver reads of an HTTP request, the same whether the request came as a
 * Fetch Request (the Remix routes) or as Node's own (the production server's direct endpoints,
 * see webhook-endpoints.server.ts).
 */
export type WebhookDelivery = {
  method: string;
  /** A query parameter of the request's URL, or null. */
  searchParam(name: string): string | null;
  /** A header by its lower-case name, or null. */
  header(name: string): string | null;
  /** The body as text, or null when it is larger than MAX_WEBHOOK_BYTES. */
  text(): Promise<string | null>;
};

/** A receiver's answer: a status and, for a refusal, a short plain-text reason. */
export type WebhookAnswer = { status: number; message?: string };

export type WebhookReceiver = (delivery: WebhookDelivery) => Promise<WebhookAnswer>;

export function deliveryFromRequest(request: Request): WebhookDelivery {
  return {
    method: request.method,
    searchParam: (name) => new URL(request.url).searchParams.get(name),
    header: (name) => request.headers.get(name),
    text: async () => {
      if (declaredTooLarge(request.headers.get("content-length"))) return null;
      const text = await request.text();
      return Buffer.byteLength(text) > MAX_WEBHOOK_BYTES ? null : text;
    },
  };
}

/** A Remix route's action for a webhook endpoint. */
export async function answerRequest(request: Request, receive: WebhookReceiver) {
  const startedAt = performance.now();
  const { status, message } = await receive(deliveryFromRequest(request));
  noteWebhookAck(webhookTopicOfPath(new URL(request.url).pathname), status, startedAt);
  return new Response(message ?? null, { status });
}

export function deliveryFromNodeRequest(request: IncomingMessage): WebhookDelivery {
  const query = request.url?.split("?")[1];
  return {
    method: request.method ?? "GET",
    searchParam: (name) => (query === undefined ? null : new URLSearchParams(query).get(name)),
    header: (name) => {
      const value = request.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    text: () => readNodeBody(request),
  };
}

/** Writes a receiver's answer to Node's response. */
export function writeAnswer(response: ServerResponse, { status, message }: WebhookAnswer) {
  const headers: Record<string, string> = {};
  if (message !== undefined) headers["Content-Type"] = "text/plain; charset=utf-8";
  response.writeHead(status, headers).end(message);
}

function declaredTooLarge(contentLength: string | string[] | null | undefined) {
  return Number(contentLength ?? "0") > MAX_WEBHOOK_BYTES;
}

// A body over the limit is read to its end but not kept, and only then refused: a sender cut
// off mid-body sees a broken connection, not the 413. Nothing more is held than the limit.
function readNodeBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declaredTooLarge(request.headers["content-length"]);
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      tooLarge ||= size > MAX_WEBHOOK_BYTES;
      if (!tooLarge) chunks.push(chunk);
    });
    request.once("end", () =>
      resolve(tooLarge ? null : Buffer.concat(chunks, size).toString("utf8")),
    );
    request.once("error", reject);
  });
}
