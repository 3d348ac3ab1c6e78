/**
 * JSON text helpers that keep integers beyond 2^53 exact. JSON.parse turns
 * 820982911946154508 into 820982911946154500; Shopify's numeric ids can be that large.
 *
 * Both helpers run one small scanner over the text that knows where strings start and end and how
 * deep the nesting is. It does not validate JSON; parseJsonLossless leaves that to JSON.parse.
 */

type TokenKind = "string" | "number" | "punct";

/**
 * Told of each token: its kind, where it starts and ends (exclusive) and the nesting depth it
 * sits at, 1 for keys and values of the top-level object.
 */
type TokenVisitor = (kind: TokenKind, start: number, end: number, depth: number) => void;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

function skipDigits(text: string, index: number) {
  while (isDigit(text.charCodeAt(index))) index += 1;
  return index;
}

/** Where the number literal at `start` ends: -?\d+(\.\d+)?([eE][+-]?\d+)?, or one character. */
function numberEnd(text: string, start: number) {
  const digitsStart = text.charCodeAt(start) === MINUS ? start + 1 : start;
  let end = skipDigits(text, digitsStart);
  if (end === digitsStart) return start + 1;
  if (text.charCodeAt(end) === DOT) {
    const fractionEnd = skipDigits(text, end + 1);
    if (fractionEnd > end + 1) end = fractionEnd;
  }
  const exponent = text.charCodeAt(end);
  if (exponent === 0x65 || exponent === 0x45) {
    const sign = text.charCodeAt(end + 1);
    const digits = sign === PLUS || sign === MINUS ? end + 2 : end + 1;
    const exponentEnd = skipDigits(text, digits);
    if (exponentEnd > digits) end = exponentEnd;
  }
  return end;
}

/**
 * Visits string, number and punctuation tokens. Other characters (whitespace, true, false, null,
 * junk) are skipped. It allocates nothing per token: a 12 KB order has thousands, and a worker
 * reads one per order.
 */
function scan(text: string, visit: TokenVisitor) {
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text.charCodeAt(end) !== QUOTE) {
        end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
      }
      visit("string", index, end + 1, depth);
      index = end + 1;
    } else if (char === "{" || char === "[") {
      visit("punct", index, index + 1, depth);
      depth += 1;
      index += 1;
    } else if (char === "}" || char === "]") {
      depth -= 1;
      visit("punct", index, index + 1, depth);
      index += 1;
    } else if (char === ":" || char === ",") {
      visit("punct", index, index + 1, depth);
      index += 1;
    } else if (char === "-" || isDigit(text.charCodeAt(index))) {
      const end = numberEnd(text, index);
      visit("number", index, end, depth);
      index = end;
    } else {
      index += 1;
    }
  }
}

// 2^53 has 16 digits: a literal with fewer is a safe integer or not an integer.
const SAFE_DIGITS = 15;
const INTEGER_TEXT = /^-?\d+$/;
const UNSAFE_INTEGER_CANDIDATE = /\d{16}/;

/**
 * JSON.parse, except that every integer literal outside the safe range (|n| > 2^53 − 1) arrives
 * as its exact decimal text, a string. Safe integers and all other numbers stay numbers.
 */
export function parseJsonLossless(text: string): unknown {
  if (!UNSAFE_INTEGER_CANDIDATE.test(text)) return JSON.parse(text);
  let out = "";
  let copied = 0;
  scan(text, (kind, start, end) => {
    if (kind !== "number" || end - start <= SAFE_DIGITS) return;
    const literal = text.slice(start, end);
    if (INTEGER_TEXT.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${text.slice(copied, start)}"${literal}"`;
      copied = end;
    }
  });
  return JSON.parse(out + text.slice(copied));
}

/**
 * The raw text of the value of `key` in the top-level object: a number literal as written, or a
 * string's contents (escape sequences are not decoded). Null when the key is absent at the top
 * level or its value is an object, array, true, false or null. When the key occurs twice the last
 * wins, as with JSON.parse. Limitation: a key spelled with escape sequences ("order\u005fid") is
 * not recognised; Shopify writes plain ASCII keys.
 */
export function topLevelValueText(text: string, key: string): string | null {
  const quotedKey = JSON.stringify(key);
  let found: string | null = null;
  let pendingKey = false;
  let afterColon = false;
  // The token before this one, if it was "{" or "," (its kind is not needed beyond that).
  let afterOpenOrComma = false;
  scan(text, (kind, start, end, depth) => {
    const char = kind === "punct" ? text[start] : "";
    if (afterColon) {
      if (kind === "number") found = text.slice(start, end);
      else if (kind === "string") found = text.slice(start + 1, end - 1);
      else found = null;
      afterColon = false;
    } else if (pendingKey) {
      afterColon = char === ":";
      pendingKey = false;
    }
    // A key of the top-level object: a string at depth 1 right after "{" or ",".
    if (
      kind === "string" &&
      depth === 1 &&
      afterOpenOrComma &&
      end - start === quotedKey.length &&
      text.startsWith(quotedKey, start)
    ) {
      pendingKey = true;
    }
    afterOpenOrComma = char === "{" || char === ",";
  });
  return found;
}
