import type { SandboxState } from "./state";
import type { WebhookDispatcher } from "./webhooks";

/** What request handlers need besides the request: data, clock, own URL, event sink. */
export interface SandboxContext {
  state: SandboxState;
  /** Epoch milliseconds; injectable so tests can pin the clock. */
  now: () => number;
  /** e.g. "http://127.0.0.1:4010", for links the sandbox hands out. */
  baseUrl: () => string;
  webhooks: WebhookDispatcher;
}

export const isoNow = (context: SandboxContext) => new Date(context.now()).toISOString();
