/**
 * The SIR Giving sandbox: an in-memory stand-in for the partner API (in the spirit of
 * stripe-mock) plus a /__sandbox/ control API. See README.md beside this file.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxBehaviour } from "./behaviour";
import { CHECKOUT_PREFIX, createCheckoutHandler } from "./checkout-page";
import type { SandboxContext } from "./context";
import { CONTROL_PREFIX, createControlHandler } from "./control";
import { SirApiError, notFound } from "./errors";
import { sendError, sendJson } from "./http";
import { seedOrganizations } from "./organizations";
import { PARTNER_API_PREFIX, createPartnerApiHandler } from "./partner-api";
import { createPartner } from "./partners";
import type { RateLimitConfig } from "./rate-limit";
import { loadSeedFile } from "./seed";
import { clearState, createState, type RequestLogEntry, type SandboxState } from "./state";
import { WebhookDispatcher } from "./webhooks";

export type { SandboxState } from "./state";
export type { SandboxBehaviour } from "./behaviour";
export { behaviourFromList, defaultBehaviour } from "./behaviour";

export interface SandboxOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  /** Per API key, fixed window. Default 100000 requests per 60 s. */
  rateLimit?: RateLimitConfig;
  /** Delays between webhook attempts; FAILED after the last. Default [1000, 5000, 30000]. */
  webhookRetryDelaysMs?: number[];
  /** JSON array of partner specs created at start and after every reset. */
  seedFile?: string;
  /** Epoch milliseconds; pin it to test clock skew or rate-limit windows. */
  now?: () => number;
  /** Where SIR should do the other plausible thing (behaviour.ts); kept across resets. */
  behaviour?: Partial<SandboxBehaviour>;
}

export interface Sandbox {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Back to the startup state: seeded nonprofits and seed-file partners, no faults, no logs. */
  reset(): void;
  state: SandboxState;
}

export const DEFAULT_PORT = 4010;
const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 100_000, windowSeconds: 60 };
const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [1000, 5000, 30_000];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const now = options.now ?? Date.now;
  const seedSpecs = options.seedFile ? await loadSeedFile(options.seedFile) : [];

  const state = createState(rateLimit);
  const startBehaviour = { ...state.behaviour, ...options.behaviour };
  state.behaviour = { ...startBehaviour };
  const webhooks = new WebhookDispatcher(
    state,
    now,
    options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  );
  let url = "";
  const context: SandboxContext = { state, now, baseUrl: () => url, webhooks };

  const seed = () => {
    seedOrganizations(state);
    for (const spec of seedSpecs) createPartner(context, spec);
  };
  const reset = () => {
    webhooks.cancelAll();
    clearState(state, rateLimit);
    state.behaviour = { ...startBehaviour };
    seed();
  };
  seed();

  const handlePartnerApi = createPartnerApiHandler(context);
  const handleControl = createControlHandler(context, reset);
  const handleCheckout = createCheckoutHandler(context);

  const server = http.createServer(async (request, response) => {
    const requestUrl = new URL(request.url ?? "/", "http://sandbox.invalid");
    const { pathname } = requestUrl;
    try {
      if (pathname.startsWith(PARTNER_API_PREFIX)) {
        const logEntry = logPartnerRequest(state, request, response, now());
        await handlePartnerApi(request, response, requestUrl, logEntry);
      } else if (pathname.startsWith(CHECKOUT_PREFIX)) {
        await handleCheckout(request, response, requestUrl);
      } else if (pathname.startsWith(CONTROL_PREFIX)) {
        await handleControl(request, response, requestUrl);
      } else if (pathname === "/") {
        sendJson(response, 200, {
          name: "SIR Giving sandbox",
          api: PARTNER_API_PREFIX,
          control: CONTROL_PREFIX,
        });
      } else {
        sendError(response, notFound(`Cannot ${request.method} ${pathname}`));
      }
    } catch (error) {
      if (error instanceof SirApiError) {
        sendError(response, error);
        return;
      }
      console.error("SIR sandbox: unexpected error", error);
      if (!response.headersSent) {
        sendError(response, new SirApiError(500, "SERVER", "Internal server error"));
      }
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;

  return {
    url,
    port,
    state,
    reset,
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** The arrival log behind GET /__sandbox/requests; the status is filled in when answered. */
function logPartnerRequest(
  state: SandboxState,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  receivedAtMs: number,
): RequestLogEntry {
  const key = request.headers["x-partner-key"];
  const entry: RequestLogEntry = {
    method: request.method ?? "",
    path: request.url ?? "",
    status: 0,
    receivedAtMs,
    partnerKeyPrefix: typeof key === "string" ? key.slice(0, 16) : null,
  };
  state.requestLog.push(entry);
  response.once("finish", () => {
    entry.status = response.statusCode;
    for (const action of entry.actions ?? []) action.status ||= response.statusCode;
  });
  return entry;
}
