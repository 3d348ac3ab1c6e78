import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_WEBHOOK_BYTES } from "./request-guards.server";

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
  const { status, message } = await receive(deliveryFromRequest(request));
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

/**
 * Writes a receiver's answer to Node's response. The connection closes after an answer that
 * left the body unread (too large), so what is left of it is not read as the next request.
 */
export function writeAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  { status, message }: WebhookAnswer,
) {
  const headers: Record<string, string> = {};
  if (message !== undefined) headers["Content-Type"] = "text/plain; charset=utf-8";
  if (!request.complete) headers.Connection = "close";
  response.writeHead(status, headers).end(message);
}

function declaredTooLarge(contentLength: string | string[] | null | undefined) {
  return Number(contentLength ?? "0") > MAX_WEBHOOK_BYTES;
}

function readNodeBody(request: IncomingMessage): Promise<string | null> {
  if (declaredTooLarge(request.headers["content-length"])) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_WEBHOOK_BYTES) return void chunks.push(chunk);
      // Stop keeping it; the answer closes the connection.
      request.off("data", onData);
      resolve(null);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size).toString("utf8")));
    request.once("error", reject);
  });
}
