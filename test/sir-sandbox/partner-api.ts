/**
 * The /v1/partner/ pipeline: CORS preflight → faults → key → rate limit → signature or widget
 * key → route → scope → handler. Signatures are checked before routing, so a request whose
 * path was altered gets 401 like any other tampering, not 404.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { lookUpKey, requireScope, verifySignedRequest, verifyWidgetKey } from "./auth";
import type { SandboxContext } from "./context";
import { SirApiError, guardForbidden, notFound } from "./errors";
import { injectedFault } from "./faults";
import { readRawBody, sendError, sendJson, sendNoContent, type Headers } from "./http";
import { consumeRateLimit } from "./rate-limit";
import { Router, type Route } from "./router";
import { partnerRoutes } from "./routes/index";
import type { LoggedAction, RequestLogEntry } from "./state";
import { parseJsonBody, type JsonBody } from "./validation";

export const PARTNER_API_PREFIX = "/v1/partner/";

const CORS_HEADERS: Headers = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers":
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After",
};
const PREFLIGHT_HEADERS: Headers = {
  ...CORS_HEADERS,
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "X-Partner-Key, Content-Type",
  "Access-Control-Max-Age": "600",
};

/** The actions a submit or bulk request carries, by key, as the request log records them. */
function loggedActions(
  method: string,
  path: string,
  rawBody: Buffer,
  noBulk: boolean,
): LoggedAction[] | undefined {
  // Without a bulk endpoint, a bulk request carries no action SIR knows of.
  if (method !== "POST" || (path !== "actions/submit" && path !== "actions/bulk")) return undefined;
  if (path === "actions/bulk" && noBulk) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return [];
  }
  const items = path === "actions/bulk" ? (body as { actions?: unknown })?.actions : [body];
  if (!Array.isArray(items)) return [];
  return items.map((item) => {
    const key = (item as { idempotencyKey?: unknown } | null)?.idempotencyKey;
    return { idempotencyKey: typeof key === "string" ? key : null, status: 0 };
  });
}

export function createPartnerApiHandler(context: SandboxContext) {
  const router = new Router<Route>(partnerRoutes);

  return async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    log: RequestLogEntry,
  ): Promise<void> => {
    const method = request.method ?? "GET";
    const relativePath = url.pathname.slice(PARTNER_API_PREFIX.length);
    const isWidgetPath = router.hasPath(relativePath, (route) => route.auth === "widget");
    const headers: Headers = isWidgetPath ? { ...CORS_HEADERS } : {};
    try {
      if (method === "OPTIONS") {
        if (!isWidgetPath) throw notFound(`Cannot OPTIONS ${url.pathname}`);
        sendNoContent(response, PREFLIGHT_HEADERS);
        return;
      }
      const rawBody = await readRawBody(request);
      const { state } = context;
      log.actions = loggedActions(method, relativePath, rawBody, state.behaviour.noBulk);
      if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs);
      const fault = injectedFault(state.faults);
      if (fault) {
        if (fault.retryAfterSeconds !== undefined) {
          headers["Retry-After"] = String(fault.retryAfterSeconds);
        }
        throw fault.error;
      }

      const key = lookUpKey(state, header(request, "x-partner-key"));
      const rateLimit = consumeRateLimit(
        state.rateLimitWindows,
        state.rateLimit,
        key.value,
        context.now(),
        state.behaviour.rateLimitReset,
      );
      Object.assign(headers, rateLimit.headers);
      if (!rateLimit.allowed) {
        throw new SirApiError(
          429,
          "RATE_LIMITED",
          "Rate limit exceeded; retry after Retry-After seconds",
        );
      }

      const match =
        state.behaviour.noBulk && relativePath === "actions/bulk"
          ? null
          : router.match(method, relativePath);
      // Unknown routes are authenticated like HMAC routes unless a publishable key was sent.
      const auth = match?.route.auth ?? (key.kind === "publishable" ? "widget" : "hmac");
      if (auth === "widget") verifyWidgetKey(key);
      else {
        verifySignedRequest(
          key,
          {
            method,
            pathWithQuery: request.url ?? "",
            timestamp: header(request, "x-timestamp"),
            signature: header(request, "x-signature"),
            rawBody,
          },
          context.now(),
        );
      }
      if (!match) throw notFound(`Cannot ${method} ${url.pathname}`);
      requireScope(key.pair, match.route.scope);

      let body: JsonBody | undefined;
      const result = match.route.handle({
        context,
        partner: state.partners.get(key.pair.partnerId)!,
        keyPair: key.pair,
        params: match.params,
        query: url.searchParams,
        body: () => (body ??= parseJsonBody(rawBody)),
      });
      result.itemStatuses?.forEach((status, index) => {
        if (log.actions?.[index]) log.actions[index].status = status;
      });
      sendJson(response, result.status, result.body, headers);
    } catch (error) {
      const { behaviour } = context.state;
      if (error instanceof SirApiError) {
        // A guard answers every refusal alike: a bad signature and a missing scope look the same.
        const guarded =
          behaviour.badSignatureStatus === 403 && (error.status === 401 || error.status === 403);
        const answered = guarded ? guardForbidden() : error;
        sendError(response, answered, headers, behaviour.errorBody);
        return;
      }
      console.error("SIR sandbox: unexpected error", error);
      sendError(
        response,
        new SirApiError(500, "SERVER", "Internal server error"),
        headers,
        behaviour.errorBody,
      );
    }
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
