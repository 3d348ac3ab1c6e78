// What the logger does to every value before it is written: nothing that is, looks like or is
// known to be a secret reaches a log line. Three nets, each cheap on the common line (a short
// message and a few fields):
//
// 1. By key: the value under a secret-looking key (secretKey, hmacSecret, authorization,
//    accessToken, password…) is replaced, whatever it is.
// 2. By shape: token formats that are secrets wherever they appear — SIR secret keys
//    (sk_test_/sk_live_, rk_…), webhook secrets (whsec_), Shopify tokens (shpat_, shpua_,
//    shpca_, shppa_, shpss_…), Bearer/Basic credentials, JWTs, a URL's userinfo and its
//    secret-looking query parameters (?token=, &hmac=, &signature=, &code=…). Publishable keys
//    (pk_) are public by design (the storefront widget shows them) and are left alone.
// 3. By value: every secret the app holds at runtime is registered here (registerSecret: the
//    app secret and the encryption keys from the environment, each shop's SIR secret key, HMAC
//    secret and webhook secret as they are decrypted or saved) and replaced wherever it occurs:
//    in a message, an error's message or stack, a URL, a field at any depth.
//
// The walk also makes any value safe to serialise: cycles become "[Circular]", bigint becomes
// text, Maps and Sets become objects and arrays, errors keep name, message, stack, cause and
// their own fields, and bytes are never printed.

export const REDACTED = "[redacted]";

// Any name ending in "token" (accessToken, x-shopify-access-token, METRICS_TOKEN), not "tokens"
// or "tokenPool", which count and name SIR's reward tokens.
const SECRET_KEY =
  /secret|passw(or)?d|passwd|signature|hmac|authori[sz]ation|cookie|credential|private[_-]?key|partner[_-]?key|encryption[_-]?key|^(x-)?api[_-]?key$|token$|^sk$/i;

// A token shape's tail: what the issuers use (alphanumerics) plus "_" and "-", so a test token
// such as shpat_test_token goes whole.
const SECRET_SHAPES: RegExp[] = [
  /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9_-]*/g,
  /\bwhsec_[A-Za-z0-9_-]*/g,
  /\bshp[a-z]{2}_[A-Za-z0-9_-]*/g,
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];
// "Bearer <token>" always; "Basic <base64>" when it looks encoded (not "Basic plan").
const CREDENTIAL_SCHEME =
  /\b(Bearer(?=\s)|Basic(?=\s+[A-Za-z0-9+/]*[0-9+/=]))(\s+)[A-Za-z0-9._~+/=-]+/gi;
// scheme://user:password@host and scheme://token@host: the whole userinfo goes.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
// ?token=…, &hmac=…, &client_secret=…: the value goes, the name stays.
const SECRET_QUERY_PARAM =
  /([?&;](?:[^=&\s#"']*[_.-])?(?:[a-z]*token|[a-z]*secret|passw(?:or)?d|passwd|signature|sig|hmac|[a-z]*key|code|auth|credentials?)=)[^&\s#"']*/gi;
// One test of every trigger before the replacements: most strings match none.
const MAYBE_SECRET = /sk_|rk_|whsec_|shp[a-z]{2}_|eyJ|bearer|basic|:\/\/|[?&;][^=\s]*=/i;

/** Registered values shorter than this are not searched for: they cannot be told from text. */
export const MIN_SECRET_LENGTH = 8;
const MAX_SECRETS = 100_000;
const MAX_DEPTH = 64;

// Registered secrets by their first MIN_SECRET_LENGTH characters, each list longest first, so a
// string is scanned once whatever the number of secrets.
const secretsByPrefix = new Map<string, string[]>();
let secretCount = 0;

/**
 * Registers a value the app holds as a secret: from now on it is redacted wherever it appears
 * in a log line (and so is its URL-encoded form). Returns the value, so a read can be wrapped:
 * `secretKey: registerSecret(box.decrypt(row.secretKeyEnc))`.
 */
export function registerSecret<T extends string | null | undefined>(value: T): T {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) return value;
  addSecret(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) addSecret(encoded);
  return value;
}

// Which pairs of first two characters start a registered secret (their char codes folded to
// 7 bits each): a position whose pair is not marked is passed over without a lookup.
const PAIR_BITS = 1 << 14;
const startPairs = new Uint8Array(PAIR_BITS);
const pairAt = (text: string, i: number) =>
  ((text.charCodeAt(i) & 0x7f) << 7) | (text.charCodeAt(i + 1) & 0x7f);

function addSecret(value: string) {
  const prefix = value.slice(0, MIN_SECRET_LENGTH);
  const list = secretsByPrefix.get(prefix);
  if (list?.includes(value)) return;
  if (secretCount >= MAX_SECRETS) return;
  startPairs[pairAt(value, 0)] = 1;
  if (list) {
    list.push(value);
    list.sort((a, b) => b.length - a.length);
  } else {
    secretsByPrefix.set(prefix, [value]);
  }
  secretCount += 1;
}

// Environment variables that hold secrets: SHOPIFY_API_SECRET, ENCRYPTION_KEY(_PREVIOUS),
// METRICS_TOKEN, and whatever else is named like one. SHOPIFY_API_KEY is the public client id.
const SECRET_ENV_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|^ENCRYPTION_KEY/i;

/**
 * Registers the secrets of an environment: the values of secret-named variables (each part of
 * a comma-separated list, and an encryption key in its hex and base64 spellings too) and the
 * password of any URL in it (DATABASE_URL's).
 */
export function registerEnvironmentSecrets(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_ENV_NAME.test(name)) {
      for (const part of value.split(",").map((p) => p.trim())) {
        registerSecret(part);
        if (/^ENCRYPTION_KEY/i.test(name)) registerKeySpellings(part);
      }
    }
    if (value.includes("://")) registerUrlPassword(value);
  }
}

function registerKeySpellings(raw: string) {
  const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (bytes.length !== 32) return;
  for (const spelling of [
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
    bytes.toString("base64"),
    bytes.toString("base64url"),
  ]) {
    registerSecret(spelling);
  }
}

function registerUrlPassword(value: string) {
  try {
    const url = new URL(value);
    if (url.password) {
      registerSecret(url.password);
      registerSecret(decodeURIComponent(url.password));
    }
  } catch {
    // Not a URL after all.
  }
}

/** Forgets every registered secret (tests only). */
export function clearRegisteredSecrets() {
  secretsByPrefix.clear();
  startPairs.fill(0);
  secretCount = 0;
}

function redactRegistered(text: string): string {
  if (secretCount === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = "";
  let last = 0;
  let i = 0;
  const end = text.length - MIN_SECRET_LENGTH;
  while (i <= end) {
    const found =
      startPairs[pairAt(text, i)] === 1
        ? secretsByPrefix
            .get(text.slice(i, i + MIN_SECRET_LENGTH))
            ?.find((secret) => text.startsWith(secret, i))
        : undefined;
    if (found) {
      out += text.slice(last, i) + REDACTED;
      i += found.length;
      last = i;
    } else {
      i += 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** A string with every secret in it, registered or by shape, replaced. */
export function redactText(text: string): string {
  // Shorter than any secret or token shape.
  if (text.length < 6) return text;
  let out = redactRegistered(text);
  if (!MAYBE_SECRET.test(out)) return out;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(CREDENTIAL_SCHEME, `$1$2${REDACTED}`);
  out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
  out = out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  return out;
}

/** Whether a field of this name holds a secret (its value is then never written). */
// Field names repeat from line to line: each is tested once.
const secretKeyCache = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    if (secretKeyCache.size < 10_000) secretKeyCache.set(key, secret);
  }
  return secret;
}

/**
 * A copy of any value that is safe to write: secrets replaced (by key, shape and registered
 * value, at any depth), cycles cut, and everything JSON can carry.
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new Set());
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case "string":
      return redactText(value);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
      return redactText(value.toString());
    case "function":
      return `[Function ${redactText(value.name || "anonymous")}]`;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  ancestors.add(object);
  try {
    return walkObject(object, depth + 1, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

// Read once: the global is a lazy getter, slow on every access.
const FetchHeaders: typeof Headers | undefined = globalThis.Headers;

function walkObject(value: object, depth: number, ancestors: Set<object>): unknown {
  // The common case first: a plain object of fields.
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    return walkEntries(Object.entries(value), depth, ancestors);
  }
  if (value instanceof Error) return walkError(value, depth, ancestors);
  if (Array.isArray(value)) return value.map((item) => walk(item, depth, ancestors));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof URL) return redactText(value.href);
  if (value instanceof URLSearchParams) return redactText(`?${value.toString()}`).slice(1);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[${value.constructor.name} ${value.byteLength} bytes]`;
  }
  if (value instanceof Map) return walkEntries(value.entries(), depth, ancestors);
  if (value instanceof Set) return [...value].map((item) => walk(item, depth, ancestors));
  if (FetchHeaders !== undefined && value instanceof FetchHeaders) {
    return walkEntries(value.entries(), depth, ancestors);
  }
  if (value instanceof RegExp) return redactText(value.toString());
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    let json: unknown;
    try {
      json = toJSON.call(value);
    } catch {
      return "[Unserialisable]";
    }
    return json === value
      ? walkEntries(Object.entries(value), depth, ancestors)
      : walk(json, depth, ancestors);
  }
  return walkEntries(Object.entries(value), depth, ancestors);
}

function walkEntries(
  entries: Iterable<[unknown, unknown]>,
  depth: number,
  ancestors: Set<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, item] of entries) {
    const key = redactText(
      typeof rawKey === "string" ? rawKey : String(walk(rawKey, depth, ancestors)),
    );
    out[key] = isSecretKey(key) && !isHarmless(item) ? REDACTED : walk(item, depth, ancestors);
  }
  return out;
}

// Whether a secret is there or not is not itself secret.
const isHarmless = (value: unknown) =>
  value === null || value === undefined || typeof value === "boolean";

function walkError(error: Error, depth: number, ancestors: Set<object>) {
  const out: Record<string, unknown> = {
    name: redactText(String(error.name)),
    message: redactText(String(error.message)),
  };
  if (typeof error.stack === "string") out.stack = redactText(error.stack);
  for (const [key, item] of Object.entries(error)) {
    if (key in out) continue;
    out[key] = isSecretKey(key) && !isHarmless(item) ? REDACTED : walk(item, depth, ancestors);
  }
  if (error instanceof AggregateError && !("errors" in out)) {
    out.errors = walk(error.errors, depth, ancestors);
  }
  if (error.cause !== undefined && !("cause" in out))
    out.cause = walk(error.cause, depth, ancestors);
  return out;
}
