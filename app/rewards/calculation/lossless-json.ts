/**
 * JSON text helpers that keep integers beyond 2^53 exact. JSON.parse turns
 * 820982911946154508 into 820982911946154500; Shopify's numeric ids can be that large.
 *
 * Both helpers run one small scanner over the text that knows where strings start and end and how
 * deep the nesting is. It does not validate JSON; parseJsonLossless leaves that to JSON.parse.
 */

type Token =
  | { kind: "string"; start: number; end: number; depth: number }
  | { kind: "number"; start: number; end: number; depth: number }
  | { kind: "punct"; char: string; start: number; depth: number };

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * Yields string, number and punctuation tokens. `depth` is the nesting depth the token sits at:
 * 1 for keys and values of the top-level object. Other characters (whitespace, true, false, null,
 * junk) are skipped.
 */
function* scan(text: string): Generator<Token> {
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      yield { kind: "string", start: index, end: end + 1, depth };
      index = end + 1;
    } else if (char === "{" || char === "[") {
      depth += 1;
      yield { kind: "punct", char, start: index, depth: depth - 1 };
      index += 1;
    } else if (char === "}" || char === "]") {
      depth -= 1;
      yield { kind: "punct", char, start: index, depth };
      index += 1;
    } else if (char === ":" || char === ",") {
      yield { kind: "punct", char, start: index, depth };
      index += 1;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      NUMBER_TOKEN.lastIndex = index;
      const match = NUMBER_TOKEN.exec(text);
      const end = match ? index + match[0].length : index + 1;
      yield { kind: "number", start: index, end, depth };
      index = end;
    } else {
      index += 1;
    }
  }
}

/**
 * JSON.parse, except that every integer literal outside the safe range (|n| > 2^53 − 1) arrives
 * as its exact decimal text, a string. Safe integers and all other numbers stay numbers.
 */
export function parseJsonLossless(text: string): unknown {
  let out = "";
  let copied = 0;
  for (const token of scan(text)) {
    if (token.kind !== "number") continue;
    const literal = text.slice(token.start, token.end);
    if (INTEGER_TEXT.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${text.slice(copied, token.start)}"${literal}"`;
      copied = token.end;
    }
  }
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
  let previous: Token | null = null;
  for (const token of scan(text)) {
    if (afterColon) {
      if (token.kind === "number") found = text.slice(token.start, token.end);
      else if (token.kind === "string") found = text.slice(token.start + 1, token.end - 1);
      else found = null;
      afterColon = false;
    } else if (pendingKey) {
      afterColon = token.kind === "punct" && token.char === ":";
      pendingKey = false;
    }
    // A key of the top-level object: a string at depth 1 right after "{" or ",".
    if (
      token.kind === "string" &&
      token.depth === 1 &&
      previous?.kind === "punct" &&
      (previous.char === "{" || previous.char === ",") &&
      text.slice(token.start, token.end) === quotedKey
    ) {
      pendingKey = true;
    }
    previous = token;
  }
  return found;
}
