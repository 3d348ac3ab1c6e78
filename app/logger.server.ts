import { config, type LogLevel } from "./config.server";

// One JSON line per event. Values under secret-looking keys are replaced
// before anything is written, so a careless `log.info({ connection })` can
// never print a key, an HMAC secret or a token.
const SECRET_KEY =
  /secret|password|signature|hmac|authorization|^(access_?|refresh_?|session_?)?token$|^sk$/i;
const SECRET_VALUE = /\b(sk_(test|live)_[A-Za-z0-9]+|whsec_[A-Za-z0-9]+|shpat_[A-Za-z0-9]+)/g;
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type Fields = Record<string, unknown>;
export type Logger = {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
};

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(SECRET_VALUE, "[redacted]");
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : redact(item, depth + 1);
  }
  return out;
}

export function createLogger(
  base: Fields = {},
  level: LogLevel = config.logLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + "\n"),
): Logger {
  const emit = (at: LogLevel, msg: string, fields?: Fields) => {
    if (ORDER[at] < ORDER[level]) return;
    const entry = redact({ time: new Date().toISOString(), level: at, msg, ...base, ...fields });
    write(JSON.stringify(entry, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, level, write),
  };
}

export const logger = createLogger();
