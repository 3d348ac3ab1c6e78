// Every environment variable the app reads, validated once. README lists them.
export type AppConfig = {
  nodeEnv: string;
  databaseUrl: string;
  shopifyApiKey: string;
  shopifyApiSecret: string;
  shopifyAppUrl: string;
  scopes: string[];
  logLevel: LogLevel;
};

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";
export const DEFAULT_SCOPES = ["read_orders", "read_customers", "read_products"];

const LOG_LEVELS: LogLevel[] = ["debug", "info", "warn", "error", "silent"];

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
  };
}

export const config = readConfig();
