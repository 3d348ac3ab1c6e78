/**
 * The surfaces' one call to the app: GET `${appUrl}${path}` with the extension's session token,
 * bounded by a timeout. Any failure (no app URL, no token, network, timeout, non-200, a body
 * that is not the contract's shape) is `null`: the surface then says "on its way".
 */
import type {
  AccountAnswer,
  AccountHistoryEntry,
  OrderRewardAnswer,
  RewardUnit,
} from "../../app/shopper/contract";

declare const process: { env: Record<string, string | undefined> };

/** An absolute http(s) URL without its trailing slash, or null. */
export function normalizeAppUrl(raw: string | undefined | null): string | null {
  const text = (raw ?? "").trim().replace(/\/+$/, "");
  return /^https?:\/\/[^\s/]+(\/[^\s]*)?$/i.test(text) ? text : null;
}

/**
 * The app URL the CLI put in the bundle: `process.env.APP_URL` (the tunnel under `shopify app
 * dev`), else `process.env.SHOPIFY_APP_URL` (set it for `shopify app build` / `deploy`). Both
 * are replaced by text at build time; left unreplaced, `process` is undefined in the extension
 * sandbox and this answers null.
 */
export function buildTimeAppUrl(): string | null {
  // One guard each: either may be replaced at build time while the other is left as a
  // `process` reference that throws in the sandbox.
  let tunnel: string | null = null;
  try {
    tunnel = normalizeAppUrl(process.env.APP_URL);
  } catch {
    tunnel = null;
  }
  if (tunnel) return tunnel;
  try {
    return normalizeAppUrl(process.env.SHOPIFY_APP_URL);
  } catch {
    return null;
  }
}

export type GetOptions<T> = {
  appUrl: string | null;
  path: string;
  token: () => Promise<string>;
  parse: (body: unknown) => T | null;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
};

export async function getFromApp<T>(options: GetOptions<T>): Promise<T | null> {
  if (!options.appUrl) return null;
  const fetchImpl = options.fetchImpl ?? fetch;
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      controller?.abort();
      resolve(null);
    }, options.timeoutMs ?? 8000);
  });
  const call = (async () => {
    try {
      const token = await options.token();
      if (!token) return null;
      const response = await fetchImpl(`${options.appUrl}${options.path}`, {
        method: "GET",
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
        signal: controller?.signal,
      });
      if (response.status !== 200) return null;
      return options.parse(await response.json());
    } catch {
      return null;
    }
  })();
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `:orderId` of SHOPPER_API.orderReward: the numeric id of an Order or OrderIdentity gid. */
export function orderRewardPath(template: string, orderId: string): string | null {
  const match = /(\d+)\s*$/.exec(orderId ?? "");
  return match ? template.replace(":orderId", match[1]) : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const count = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const countOrNull = (v: unknown) => v === null || count(v);

function readUnit(v: unknown): RewardUnit | null {
  return isObject(v) && typeof v.one === "string" && typeof v.other === "string"
    ? { one: v.one, other: v.other }
    : null;
}

const STATES = new Set(["estimated", "earned", "delayed", "none"]);

export function parseOrderRewardAnswer(body: unknown): OrderRewardAnswer | null {
  if (!isObject(body)) return null;
  const unit = readUnit(body.unit);
  if (
    !unit ||
    typeof body.state !== "string" ||
    !STATES.has(body.state) ||
    !countOrNull(body.estimatedUnits) ||
    !countOrNull(body.awardedUnits) ||
    !count(body.reversedUnits) ||
    !count(body.owedUnits) ||
    !(
      body.balanceUrl === null ||
      body.balanceUrl === undefined ||
      typeof body.balanceUrl === "string"
    )
  ) {
    return null;
  }
  return {
    state: body.state as OrderRewardAnswer["state"],
    unit,
    estimatedUnits: body.estimatedUnits as number | null,
    awardedUnits: body.awardedUnits as number | null,
    reversedUnits: body.reversedUnits,
    owedUnits: body.owedUnits,
    balanceUrl: typeof body.balanceUrl === "string" ? body.balanceUrl : null,
  };
}

export function parseAccountAnswer(body: unknown): AccountAnswer | null {
  if (!isObject(body)) return null;
  const unit = readUnit(body.unit);
  if (!unit || !countOrNull(body.balance) || !countOrNull(body.owedUnits)) return null;
  if (!Array.isArray(body.history)) return null;
  const history: AccountHistoryEntry[] = [];
  for (const e of body.history) {
    if (
      !isObject(e) ||
      typeof e.orderName !== "string" ||
      typeof e.date !== "string" ||
      !countOrNull(e.awardedUnits) ||
      !count(e.reversedUnits) ||
      typeof e.state !== "string" ||
      !STATES.has(e.state)
    ) {
      continue; // one unreadable row does not hide the rest
    }
    history.push({
      orderName: e.orderName,
      date: e.date,
      awardedUnits: e.awardedUnits as number | null,
      reversedUnits: e.reversedUnits,
      state: e.state as AccountHistoryEntry["state"],
    });
  }
  return {
    unit,
    balance: body.balance as number | null,
    owedUnits: body.owedUnits as number | null,
    history,
  };
}
