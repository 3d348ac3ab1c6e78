// Every environment variable the app reads, validated once. README lists them.
export type AppConfig = {
  nodeEnv: string;
  databaseUrl: string;
  shopifyApiKey: string;
  shopifyApiSecret: string;
  shopifyAppUrl: string;
  scopes: string[];
  logLevel: LogLevel;
  /** Run the webhook worker inside this process (default true). */
  workerEnabled: boolean;
  /** First delay of the durable retry schedule. */
  retryBaseMs: number;
  /** How often the worker looks for due work when nothing woke it. */
  workerPollMs: number;
  /** How often shops with an empty token pool are re-checked. */
  poolCheckMs: number;
  /** How long a worker's claim holds; a crashed worker's rows free up after it. */
  workerLeaseMs: number;
  /** /readyz fails once the oldest due inbox event has waited longer than this (0: never). */
  readyMaxInboxAgeMs: number;
  /** /readyz fails once the worker thread has not been heard from for this long. */
  readyMaxHeartbeatAgeMs: number;
  /** On SIGTERM, how long the process may take to finish its work before it exits anyway. */
  shutdownTimeoutMs: number;
  /** Bearer token for GET /metrics; empty: the endpoint answers 404. */
  metricsToken: string;
};

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";
export const DEFAULT_SCOPES = ["read_orders", "read_customers", "read_products"];

const LOG_LEVELS: LogLevel[] = ["debug", "info", "warn", "error", "silent"];

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const logLevel = (env.LOG_LEVEL ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  }
  return {
    nodeEnv: env.NODE_ENV ?? "development",
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    shopifyApiKey: env.SHOPIFY_API_KEY ?? "",
    shopifyApiSecret: env.SHOPIFY_API_SECRET ?? "",
    shopifyAppUrl: env.SHOPIFY_APP_URL ?? "",
    scopes: env.SCOPES ? env.SCOPES.split(",").map((s) => s.trim()) : DEFAULT_SCOPES,
    logLevel,
    workerEnabled: env.WORKER_ENABLED !== "false",
    retryBaseMs: positiveInteger(env, "RETRY_BASE_MS", 10_000),
    workerPollMs: positiveInteger(env, "WORKER_POLL_MS", 500),
    poolCheckMs: positiveInteger(env, "POOL_CHECK_MS", 5 * 60_000),
    workerLeaseMs: positiveInteger(env, "WORKER_LEASE_MS", 60_000),
    readyMaxInboxAgeMs:
      env.READY_MAX_INBOX_AGE_MS === "0"
        ? 0
        : positiveInteger(env, "READY_MAX_INBOX_AGE_MS", 10 * 60_000),
    readyMaxHeartbeatAgeMs: positiveInteger(env, "READY_MAX_HEARTBEAT_AGE_MS", 10_000),
    shutdownTimeoutMs: positiveInteger(env, "SHUTDOWN_TIMEOUT_MS", 10_000),
    metricsToken: env.METRICS_TOKEN ?? "",
  };
}

export const config = readConfig();
