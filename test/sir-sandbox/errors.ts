/**
 * Errors in the shape SIR answers with (ASSUMED NestJS style):
 * { statusCode, message, error: <HTTP reason phrase>, code }.
 */
import { STATUS_CODES } from "node:http";

export type SirErrorCode =
  | "INSUFFICIENT_POOL"
  | "INSUFFICIENT_SCOPE"
  | "RATE_LIMITED"
  | "UNAUTHORIZED"
  | "VALIDATION"
  | "NOT_FOUND"
  | "SERVER";

export class SirApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: SirErrorCode,
    message: string,
    /** A NestJS built-in exception (a guard's 403) names no code. */
    readonly withoutCode = false,
  ) {
    super(message);
  }

  toBody() {
    return {
      statusCode: this.status,
      message: this.message,
      error: STATUS_CODES[this.status] ?? "Error",
      ...(this.withoutCode ? {} : { code: this.code }),
    };
  }
}

/** The error's body in the shape the behaviour asks for (behaviour.ts `errorBody`). */
export function errorResponseBody(
  error: SirApiError,
  shape: "nest" | "text" | "html" | "errors-array",
): { contentType: string; text: string } {
  const json = (body: unknown) => ({
    contentType: "application/json; charset=utf-8",
    text: JSON.stringify(body),
  });
  switch (shape) {
    case "text":
      return { contentType: "text/plain; charset=utf-8", text: error.message };
    case "html": {
      const reason = STATUS_CODES[error.status] ?? "Error";
      return {
        contentType: "text/html; charset=utf-8",
        text: `<html><head><title>${error.status} ${reason}</title></head><body><h1>${error.status} ${reason}</h1><p>${escapeHtml(error.message)}</p></body></html>`,
      };
    }
    case "errors-array":
      return json({
        errors: [{ ...(error.withoutCode ? {} : { code: error.code }), message: error.message }],
      });
    default:
      return json(error.toBody());
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A NestJS guard's default refusal: 403 "Forbidden resource", no code. */
export const guardForbidden = () =>
  new SirApiError(403, "INSUFFICIENT_SCOPE", "Forbidden resource", true);

export const validationError = (message: string) => new SirApiError(400, "VALIDATION", message);
export const unauthorized = (message: string) => new SirApiError(401, "UNAUTHORIZED", message);
export const notFound = (message: string) => new SirApiError(404, "NOT_FOUND", message);
/** Doc: a wrong key type is answered 403 with "INSUFFICIENT_SCOPE-style errors". */
export const forbidden = (message: string) => new SirApiError(403, "INSUFFICIENT_SCOPE", message);
export const insufficientPool = () =>
  new SirApiError(
    402,
    "INSUFFICIENT_POOL",
    "Token pool balance is too low for this action; request more allocation",
  );
