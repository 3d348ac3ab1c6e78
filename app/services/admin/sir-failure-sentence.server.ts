import { isSirError } from "../../sir";
import { connectionFailureMessage } from "../connect-shop.server";
import { SirCallError } from "./sir-account-summary.server";

// ASSUMED: SIR's 401 message says what was wrong, as the sandbox's does
// ("Unknown API key", "X-Timestamp is more than 300 seconds from server time").
const CLOCK_DETAIL = /timestamp|clock|skew/i;
const UNKNOWN_KEY_DETAIL = /unknown (api )?key|invalid (api )?key|key not found/i;
/** Documented: SIR rejects more than 5 minutes between X-Timestamp and its own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const SCOPE_CONSEQUENCES: Record<string, string> = {
  "actions:write": "so it cannot reward orders",
  "actions:reverse": "so refunds and cancellations could not take tokens back",
  "pools:read": "so the app cannot read your token pool",
  "pools:write": "so the app cannot ask SIR for more tokens",
  "campaigns:read": "so the app cannot read your active campaign",
  "webhooks:write": "so SIR cannot be asked to notify the app",
};

export type SirFailureContext = {
  apiUrl: string;
  /** Which key the failed call used. */
  keyKind?: "publishable" | "secret";
  /** This server's clock minus SIR's, from the Date header of SIR's answer. */
  clockSkewMs?: number | null;
};

function clockSentence(skewMs: number | null | undefined): string {
  if (skewMs === null || skewMs === undefined || Math.abs(skewMs) <= MAX_CLOCK_SKEW_MS) {
    return "SIR rejected the time on the app's request, so this server's clock is probably wrong. SIR allows 5 minutes of difference: have the server set its time automatically.";
  }
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  return `This server's clock is ${minutes} minutes ${skewMs > 0 ? "ahead of" : "behind"} SIR's, and SIR allows 5. Have the server set its time automatically, then test again.`;
}

/** One sentence a merchant can act on, for any failure of a SIR call made from an admin page. */
export function sirFailureSentence(error: unknown, context: SirFailureContext): string {
  const scope = error instanceof SirCallError ? error.scope : null;
  const failure = error instanceof SirCallError ? error.failure : error;
  if (!isSirError(failure)) return connectionFailureMessage(failure, context.apiUrl);
  switch (failure.code) {
    case "UNAUTHORIZED":
      if (context.keyKind === "publishable") {
        return "SIR does not recognise the publishable key. Check that you copied the whole pk_ key, for the environment you chose.";
      }
      if (
        (context.clockSkewMs !== null &&
          context.clockSkewMs !== undefined &&
          Math.abs(context.clockSkewMs) > MAX_CLOCK_SKEW_MS) ||
        CLOCK_DETAIL.test(failure.message)
      ) {
        return clockSentence(context.clockSkewMs);
      }
      if (UNKNOWN_KEY_DETAIL.test(failure.message)) {
        return "SIR does not recognise the secret key. Check that you copied the whole sk_ key, for the environment you chose.";
      }
      return "SIR rejected the request signature. Check that the HMAC secret belongs to this secret key (SIR shows both once, when the key pair is created).";
    case "INSUFFICIENT_SCOPE":
      return scope && SCOPE_CONSEQUENCES[scope]
        ? `Your SIR secret key lacks the ${scope} permission, ${SCOPE_CONSEQUENCES[scope]}. Ask SIR for a key that includes it.`
        : connectionFailureMessage(failure, context.apiUrl);
    case "FORBIDDEN":
      return "SIR refused these keys without saying why (HTTP 403): check that the secret key and HMAC secret belong together, that this server's clock is right, and that the key has the permissions the app needs.";
    case "NETWORK":
      return `SIR could not be reached at ${context.apiUrl}. Check the API address, and that this server can reach it.`;
    case "TIMEOUT":
      return `SIR did not answer in time at ${context.apiUrl}. Try again in a minute.`;
    case "RATE_LIMITED":
      return "SIR is limiting requests from this key right now. Try again in a minute.";
    case "SERVER":
      return "SIR had a problem answering. Try again in a few minutes.";
    case "INSUFFICIENT_POOL":
      return "Your SIR token pool is empty. Request an allocation from the dashboard.";
    default:
      return connectionFailureMessage(failure, context.apiUrl);
  }
}

/** Wraps fetch to remember how far this server's clock is from SIR's (from the Date header). */
export function clockWatchingFetch(fetchImpl: typeof fetch = fetch) {
  let skewMs: number | null = null;
  const watched: typeof fetch = async (input, init) => {
    const response = await fetchImpl(input, init);
    const serverTime = Date.parse(response.headers.get("date") ?? "");
    if (!Number.isNaN(serverTime)) skewMs = Date.now() - serverTime;
    return response;
  };
  return { fetch: watched, skewMs: () => skewMs };
}
