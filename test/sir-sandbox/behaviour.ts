/**
 * Behaviour switches: the sandbox behaves as the docs say (and as our ASSUMED readings say) by
 * default; each switch makes it do the *other* plausible thing where the docs are silent, so the
 * app's degradation can be tested against it (app/sir/assumptions.ts lists what the app does).
 * Not SIR's surface: set at start (`startSandbox({ behaviour })`, `npm run sandbox -- --no-bulk`,
 * SIR_SANDBOX_BEHAVIOUR for the test helpers) or through `POST /__sandbox/behaviour`.
 */
import { validationError } from "./errors";

export interface SandboxBehaviour {
  /** `actions/bulk` does not exist: 404 exactly as an unknown route (nothing recorded). */
  noBulk: boolean;
  /**
   * What `actions/bulk` answers: "results" (the ASSUMED per-item results), or "job" (it records
   * the items, then answers 202 `{jobId, status: "PROCESSING"}`, as an asynchronous bulk API
   * would, like SIR's deprecated `actions/bulk/:jobId` suggests): no per-item results to read.
   */
  bulkResponse: "results" | "job";
  /**
   * Error body shape: "nest" (ASSUMED `{statusCode, message, error, code}`), "text" (the message
   * as text/plain), "html" (a proxy-style HTML page), "errors-array" (`{errors: [{code, message}]}`).
   */
  errorBody: "nest" | "text" | "html" | "errors-array";
  /**
   * 401 (documented) for a missing or unknown key, a bad timestamp or signature; or 403 as a
   * NestJS guard answers by default: `{statusCode: 403, message: "Forbidden resource",
   * error: "Forbidden"}`, with no code, the same body a missing scope would get from a guard.
   */
  badSignatureStatus: 401 | 403;
  /** `reversalPercentage` must be a whole number (the docs' "1–100"): 33.33 → 400. */
  integerReversalPercentage: boolean;
  /** `X-RateLimit-Reset` as epoch seconds (ASSUMED default), seconds until the reset, or epoch ms. */
  rateLimitReset: "epoch-seconds" | "seconds-until" | "epoch-ms";
  /**
   * The hosted checkout's way back: "honoured" (303 to returnUrl with `sir_donation_id`),
   * "ignored" (returnUrl is not used: the result page is shown), "no-param" (303 to returnUrl
   * as given, without `sir_donation_id`).
   */
  donationReturnUrl: "honoured" | "ignored" | "no-param";
  /**
   * Webhook envelope field names: "documented" `{id, type, createdAt, data}`, or "alternate"
   * `{eventId, event, timestamp, payload}`.
   */
  webhookEnvelope: "documented" | "alternate";
}

export function defaultBehaviour(): SandboxBehaviour {
  return {
    noBulk: false,
    bulkResponse: "results",
    errorBody: "nest",
    badSignatureStatus: 401,
    integerReversalPercentage: false,
    rateLimitReset: "epoch-seconds",
    donationReturnUrl: "honoured",
    webhookEnvelope: "documented",
  };
}

const CHOICES = {
  bulkResponse: ["results", "job"],
  errorBody: ["nest", "text", "html", "errors-array"],
  rateLimitReset: ["epoch-seconds", "seconds-until", "epoch-ms"],
  donationReturnUrl: ["honoured", "ignored", "no-param"],
  webhookEnvelope: ["documented", "alternate"],
} as const;

/** Merges a partial behaviour (the control API's body) into `behaviour`; throws before any change. */
export function mergeBehaviour(
  behaviour: SandboxBehaviour,
  input: Record<string, unknown>,
): SandboxBehaviour {
  const next = { ...behaviour };
  for (const [name, value] of Object.entries(input)) {
    if (name === "noBulk" || name === "integerReversalPercentage") {
      if (typeof value !== "boolean") throw validationError(`${name} must be a boolean`);
      next[name] = value;
    } else if (name === "badSignatureStatus") {
      if (value !== 401 && value !== 403) throw validationError(`${name} must be 401 or 403`);
      next.badSignatureStatus = value;
    } else if (name in CHOICES) {
      const choices = CHOICES[name as keyof typeof CHOICES] as readonly string[];
      if (typeof value !== "string" || !choices.includes(value)) {
        throw validationError(`${name} must be one of ${choices.join(", ")}`);
      }
      (next as Record<string, unknown>)[name] = value;
    } else {
      throw validationError(`unknown behaviour ${name}`);
    }
  }
  return next;
}

/**
 * A behaviour from a comma-separated list, as SIR_SANDBOX_BEHAVIOUR and the CLI flags give it:
 * `no-bulk`, `bulk-response=job`, `error-body=text`, `bad-signature-status=403`,
 * `integer-reversal-percentage`, `rate-limit-reset=epoch-ms`, `donation-return-url=ignored`,
 * `webhook-envelope=alternate`. Empty → the default.
 */
export function behaviourFromList(list: string | undefined): SandboxBehaviour {
  const input: Record<string, unknown> = {};
  for (const item of (list ?? "").split(",").map((part) => part.trim())) {
    if (item === "") continue;
    const [flag, value] = item.split("=", 2);
    const name = flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (value === undefined) input[name] = true;
    else if (name === "badSignatureStatus") input[name] = Number(value);
    else input[name] = value;
  }
  try {
    return mergeBehaviour(defaultBehaviour(), input);
  } catch (error) {
    throw new Error(`SIR sandbox behaviour "${list}": ${(error as Error).message}`);
  }
}
