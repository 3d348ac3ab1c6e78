/**
 * A JSON parser that keeps the source text of every number, because token math must be done
 * on the decimal the client wrote ("49.99"), not on the nearest binary float.
 * Node 20's JSON.parse has no access to the source text, hence this small parser.
 */
export interface ParsedJson {
  value: unknown;
  /** The raw text of the number stored under `key` in `holder` (an object or array of `value`). */
  numberText(holder: object, key: string | number): string | undefined;
}

const MAX_DEPTH = 64;
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonKeepingNumberText(text: string): ParsedJson {
  const numberTexts = new WeakMap<object, Map<string, string>>();
  let position = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid JSON: ${what} at position ${position}`);
  };

  const skipWhitespace = () => {
    while (position < text.length) {
      const char = text.charCodeAt(position);
      if (char !== 0x20 && char !== 0x09 && char !== 0x0a && char !== 0x0d) return;
      position += 1;
    }
  };

  const parseString = (): string => {
    const start = position;
    position += 1;
    while (position < text.length) {
      const char = text[position];
      if (char === "\\") position += 2;
      else if (char === '"') {
        position += 1;
        // JSON.parse decodes escapes and rejects raw control characters for us.
        return JSON.parse(text.slice(start, position)) as string;
      } else position += 1;
    }
    return fail("unterminated string");
  };

  const parseLiteral = <T>(word: string, literal: T): T => {
    if (!text.startsWith(word, position)) fail("unexpected token");
    position += word.length;
    return literal;
  };

  const parseValue = (holder: object | null, key: string | number, depth: number): unknown => {
    skipWhitespace();
    const char = text[position];
    if (char === "{") return parseObject(depth + 1);
    if (char === "[") return parseArray(depth + 1);
    if (char === '"') return parseString();
    if (char === "t") return parseLiteral("true", true);
    if (char === "f") return parseLiteral("false", false);
    if (char === "n") return parseLiteral("null", null);
    NUMBER_PATTERN.lastIndex = position;
    const match = NUMBER_PATTERN.exec(text);
    if (!match) return fail("unexpected token");
    position += match[0].length;
    if (holder) rememberNumberText(holder, key, match[0]);
    return Number(match[0]);
  };

  const rememberNumberText = (holder: object, key: string | number, raw: string) => {
    let texts = numberTexts.get(holder);
    if (!texts) {
      texts = new Map();
      numberTexts.set(holder, texts);
    }
    texts.set(String(key), raw);
  };

  const parseObject = (depth: number): Record<string, unknown> => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    const object: Record<string, unknown> = {};
    position += 1;
    skipWhitespace();
    if (text[position] === "}") {
      position += 1;
      return object;
    }
    for (;;) {
      skipWhitespace();
      if (text[position] !== '"') fail("expected a property name");
      const key = parseString();
      skipWhitespace();
      if (text[position] !== ":") fail("expected ':'");
      position += 1;
      const value = parseValue(object, key, depth);
      // defineProperty so a "__proto__" key stays an own property, as with JSON.parse.
      Object.defineProperty(object, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipWhitespace();
      if (text[position] === ",") position += 1;
      else if (text[position] === "}") {
        position += 1;
        return object;
      } else fail("expected ',' or '}'");
    }
  };

  const parseArray = (depth: number): unknown[] => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    const array: unknown[] = [];
    position += 1;
    skipWhitespace();
    if (text[position] === "]") {
      position += 1;
      return array;
    }
    for (;;) {
      array.push(parseValue(array, array.length, depth));
      skipWhitespace();
      if (text[position] === ",") position += 1;
      else if (text[position] === "]") {
        position += 1;
        return array;
      } else fail("expected ',' or ']'");
    }
  };

  const value = parseValue(null, "", 0);
  skipWhitespace();
  if (position !== text.length) fail("unexpected trailing characters");
  return {
    value,
    numberText: (holder, key) => numberTexts.get(holder)?.get(String(key)),
  };
}
