/**
 * The SIR sandbox's control API (/__sandbox/, not SIR's surface) over real HTTP, for tests that
 * drive a running sandbox from outside: partners and keys, faults, pools, and what it recorded.
 */

export interface SandboxPartner {
  partnerId: string;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  poolId: string;
  campaignId: string | null;
}

export interface SandboxKeys {
  partnerId: string;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  scopes: string[];
}

/** One entry of GET /__sandbox/requests: a /v1 request as it arrived. */
export interface SandboxRequest {
  method: string;
  path: string;
  status: number;
  receivedAtMs: number;
  partnerKeyPrefix: string | null;
  /** Submit and bulk requests: each action carried, with the status it got. */
  actions?: Array<{ idempotencyKey: string | null; status: number }>;
}

/** Every action sent in the log's submit and bulk requests, each attempt with its status. */
export function sentActions(requests: readonly SandboxRequest[]) {
  return requests.flatMap((request) => request.actions ?? []);
}

/** What GET /__sandbox/actions reports per action (the fields the tests read). */
export interface SandboxAction {
  actionId: string;
  idempotencyKey: string;
  status: string;
  amount: number;
  currency: string;
  partnerUserId: string;
  tokensDistributed: number;
  tokensReversed: number;
  metadata: Record<string, string>;
  reversals: Array<{
    refundIdempotencyKey: string;
    reversalPercentage: number;
    tokensClawedBack: number;
  }>;
}

export class SandboxControl {
  /** `url`: the sandbox's base URL, e.g. http://127.0.0.1:4010. */
  constructor(readonly url: string) {}

  /** Any control endpoint, e.g. ("POST", "faults", {...}); throws on a non-2xx answer. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`sandbox control ${method} ${path}: ${response.status} ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createPartner(spec: Record<string, unknown> = {}): Promise<SandboxPartner> {
    return this.request("POST", "partners", spec);
  }

  createKeys(partnerId: string, scopes: string[]): Promise<SandboxKeys> {
    return this.request("POST", `partners/${partnerId}/keys`, { scopes });
  }

  setFaults(faults: Record<string, unknown>): Promise<unknown> {
    return this.request("POST", "faults", faults);
  }

  clearFaults(): Promise<unknown> {
    return this.request("DELETE", "faults");
  }

  /** The arrival log of /v1 requests, oldest first. */
  async requestLog(): Promise<SandboxRequest[]> {
    return (await this.request<{ requests: SandboxRequest[] }>("GET", "requests")).requests;
  }

  /** The arrival log, limited to the requests that carried this key (first 16 characters). */
  async arrivals(key: string): Promise<SandboxRequest[]> {
    const requests = await this.requestLog();
    return requests.filter((request) => request.partnerKeyPrefix === key.slice(0, 16));
  }

  async actions(partnerId: string): Promise<SandboxAction[]> {
    const query = `actions?partnerId=${encodeURIComponent(partnerId)}`;
    return (await this.request<{ actions: SandboxAction[] }>("GET", query)).actions;
  }

  spend(partnerId: string, partnerUserId: string, tokens: number) {
    return this.request<{ spent: number; balance: number; debt: number }>(
      "POST",
      `users/${encodeURIComponent(partnerUserId)}/spend`,
      { partnerId, tokens },
    );
  }

  refill(poolId: string, amount: number) {
    return this.request<{ availableBalance: number }>("POST", `pools/${poolId}/refill`, {
      amount,
    });
  }
}
