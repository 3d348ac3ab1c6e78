import {
  ERROR_BODY_FIELD_PRECEDENCE,
  ERROR_CODE_ALIASES,
  FORBIDDEN_CODE,
  OTHER_CLIENT_ERROR_CODE,
  errorTextOf,
  forbiddenCodeFor,
  readErrorBodyFields,
  statusOverridesBodyCode,
} from "./assumptions";

export const SIR_ERROR_CODES = [
  "INSUFFICIENT_POOL",
  "IDEMPOTENT",
  "INSUFFICIENT_SCOPE",
  // A 403 that names neither a scope nor the credentials (see forbiddenCodeFor).
  "FORBIDDEN",
  "RATE_LIMITED",
  "UNAUTHORIZED",
  "VALIDATION",
  "SERVER",
  "NETWORK",
  "TIMEOUT",
] as const;

export type SirErrorCode = (typeof SIR_ERROR_CODES)[number];

// Transient failures: the same request may succeed later. Whether repeating it is *safe* is a
// separate question the client answers per endpoint (see retry.ts).
const TRANSIENT_CODES: ReadonlySet<SirErrorCode> = new Set([
  "RATE_LIMITED",
  "SERVER",
  "NETWORK",
  "TIMEOUT",
]);

export interface SirErrorInit {
  code: SirErrorCode;
  message: string;
  status?: number | null;
  retryable?: boolean;
  retryAfterMs?: number | null;
  method?: string | null;
  requestPath?: string | null;
}

/**
 * The only error the SIR client throws. `message` and every field are free of keys and secrets:
 * the client redacts anything it did not build itself before it lands here.
 */
export class SirError extends Error {
  override readonly name = "SirError";
  /** HTTP status, or null when no response arrived (NETWORK, TIMEOUT, configuration). */
  readonly status: number | null;
  readonly code: SirErrorCode;
  /** The failure is transient; repeating may succeed (idempotency is the caller's concern). */
  readonly retryable: boolean;
  /** Earliest moment to try again, from Retry-After or the rate-limit window. */
  readonly retryAfterMs: number | null;
  readonly method: string | null;
  /** Path only: no host, no query string, never a key. */
  readonly requestPath: string | null;

  constructor(init: SirErrorInit) {
    super(init.message);
    this.code = init.code;
    this.status = init.status ?? null;
    this.retryable = init.retryable ?? TRANSIENT_CODES.has(init.code);
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.method = init.method ?? null;
    this.requestPath = init.requestPath ?? null;
  }
}

export function isSirError(value: unknown): value is SirError {
  return value instanceof SirError;
}

/** Documented and assumed HTTP status meanings; used when the body names no known code. */
export function codeForStatus(status: number): SirErrorCode {
  if (status === 400 || status === 422) return "VALIDATION";
  if (status === 401) return "UNAUTHORIZED";
  if (status === 402) return "INSUFFICIENT_POOL";
  if (status === 403) return FORBIDDEN_CODE;
  if (status === 409) return "IDEMPOTENT";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "SERVER";
  if (status >= 400) return OTHER_CLIENT_ERROR_CODE;
  // 1xx/3xx are not part of the API: something between us and SIR answered.
  return "SERVER";
}

/** "Insufficient pool", "insufficient-pool" and "INSUFFICIENT_POOL" all name the same code. */
function knownCode(text: string): SirErrorCode | null {
  const normalized = text
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if ((SIR_ERROR_CODES as readonly string[]).includes(normalized)) {
    return normalized as SirErrorCode;
  }
  const alias = ERROR_CODE_ALIASES[normalized];
  if (alias) return alias;
  // Free text that embeds a code, e.g. "INSUFFICIENT_SCOPE: actions:reverse required".
  const embedded = SIR_ERROR_CODES.find((code) => new RegExp(`\\b${code}\\b`).test(text));
  return embedded ?? null;
}

export interface ParsedErrorBody {
  code: SirErrorCode;
  /** Human-readable text from the body, if any (not yet redacted or truncated). */
  detail: string | null;
}

/**
 * Reads an error response of unknown shape: JSON object, JSON string or array, HTML, or nothing.
 * The code comes from the body's `code`, then `error`, then `message`, then the HTTP status.
 */
export function parseErrorBody(status: number, rawBody: string): ParsedErrorBody {
  let parsed: unknown = undefined;
  if (rawBody.trim() !== "") {
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      // Plain text is read as the message; HTML pages from proxies yield nothing.
      parsed = errorTextOf(rawBody) ?? undefined;
    }
  }
  return classifyErrorBody(status, parsed);
}

/**
 * The same rules for an already-parsed error (bulk items carry one each). Without a status, an
 * error that names no known code is VALIDATION.
 */
export function classifyErrorBody(status: number | null, parsed: unknown): ParsedErrorBody {
  const fields = readErrorBodyFields(parsed);
  let code: SirErrorCode | null = null;
  if (status === null || !statusOverridesBodyCode(status)) {
    for (const field of ERROR_BODY_FIELD_PRECEDENCE) {
      for (const text of fields[field]) code ??= knownCode(text);
    }
  }
  if (status === 403 && (code === null || code === "FORBIDDEN")) {
    code = forbiddenCodeFor([...fields.code, ...fields.error, ...fields.message]);
  }
  const detailParts =
    fields.message.length > 0 ? fields.message : [...fields.error, ...fields.code];
  return {
    code: code ?? (status === null ? OTHER_CLIENT_ERROR_CODE : codeForStatus(status)),
    detail: detailParts.length > 0 ? detailParts.join("; ") : null,
  };
}

const REDACTED = "[redacted]";
const KEY_PATTERNS: RegExp[] = [/\b(sk|pk)_(live|test)_[A-Za-z0-9]+/g, /\bwhsec_[A-Za-z0-9]+/g];

/** Removes the given secrets and anything shaped like a SIR key from text bound for errors/logs. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real keys are long.
    if (secret.length >= 8) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) result = result.replace(pattern, REDACTED);
  return result;
}
