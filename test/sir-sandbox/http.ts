import type { IncomingMessage, ServerResponse } from "node:http";
import { SirApiError, errorResponseBody } from "./errors";

const MAX_BODY_BYTES = 1024 * 1024;

export type Headers = Record<string, string>;

/** The body exactly as received: signatures are computed over these bytes. */
export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep draining past the limit so the connection stays usable for the 413.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) {
    throw new SirApiError(413, "VALIDATION", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  return Buffer.concat(chunks, size);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Headers = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendError(
  response: ServerResponse,
  error: SirApiError,
  headers: Headers = {},
  shape: Parameters<typeof errorResponseBody>[1] = "nest",
) {
  const { contentType, text } = errorResponseBody(error, shape);
  response.writeHead(error.status, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string) {
  response.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
  });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string) {
  response.writeHead(303, { Location: location, "Content-Length": 0 });
  response.end();
}

export function sendNoContent(response: ServerResponse, headers: Headers) {
  response.writeHead(204, headers);
  response.end();
}
