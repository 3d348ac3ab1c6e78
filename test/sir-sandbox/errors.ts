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
  ) {
    super(message);
  }

  toBody() {
    return {
      statusCode: this.status,
      message: this.message,
      error: STATUS_CODES[this.status] ?? "Error",
      code: this.code,
    };
  }
}

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
