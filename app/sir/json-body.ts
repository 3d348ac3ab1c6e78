/**
 * A JSON number written verbatim from decimal text. Amounts travel as strings inside the app and
 * become JSON numbers only here, textually, so "49.99" is sent as 49.99 and never as a float.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonNumberText
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

/** JSON.stringify semantics (undefined object members are dropped) plus JsonNumberText. */
export function serializeJson(value: JsonValue): string {
  if (value instanceof JsonNumberText) return value.text;
  if (Array.isArray(value)) return `[${value.map(serializeJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value)
      .filter((entry): entry is [string, JsonValue] => entry[1] !== undefined)
      .map(([key, member]) => `${JSON.stringify(key)}:${serializeJson(member)}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A non-negative decimal in JSON number syntax: no sign, exponent or leading zeros. */
const DECIMAL_PATTERN = /^(0|[1-9]\d*)(\.\d+)?$/;

export function isDecimalString(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}
