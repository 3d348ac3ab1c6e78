import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseJsonLossless, topLevelValueText } from "./lossless-json";

describe("parseJsonLossless", () => {
  it("keeps integers beyond 2^53 as exact text and leaves other numbers alone", () => {
    const text =
      '{"id":820982911946154508,"small":450789469,"neg":-9007199254740993,"rate":0.08,' +
      '"edge":9007199254740991,"over":9007199254740992,"exp":1e21,"s":"12345678901234567890"}';
    expect(JSON.parse(text).id).toBe(820982911946154500); // what plain JSON.parse does
    expect(parseJsonLossless(text)).toEqual({
      id: "820982911946154508",
      small: 450789469,
      neg: "-9007199254740993",
      rate: 0.08,
      edge: 9007199254740991, // largest safe integer stays a number
      over: "9007199254740992",
      exp: 1e21, // not an integer literal: left to JSON.parse
      s: "12345678901234567890",
    });
  });

  it("finds an unsafe integer of 16 digits, the fewest one can have", () => {
    expect(parseJsonLossless('{"a":9007199254740993,"b":[-9007199254740992]}')).toEqual({
      a: "9007199254740993",
      b: ["-9007199254740992"],
    });
  });

  it("does not touch digits inside strings, including escaped quotes", () => {
    const text = '{"note":"order \\"820982911946154508\\" 1e5","ids":[9223372036854775807]}';
    expect(parseJsonLossless(text)).toEqual({
      note: 'order "820982911946154508" 1e5',
      ids: ["9223372036854775807"],
    });
  });

  // Values whose integers may be any size, written as JSON text with the integers as literals, and
  // what parseJsonLossless must give for them.
  const { value: anyValue } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      // around 2^53, the first unsafe integers, which have 16 digits
      fc.bigInt({ min: 2n ** 53n - 1000n, max: 2n ** 53n + 1000n }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ unit: "binary" }),
      fc.constantFrom(true, false, null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    ),
  }));
  const asText = (value: unknown): string =>
    typeof value === "bigint"
      ? value.toString()
      : Array.isArray(value)
        ? `[${value.map(asText).join(",")}]`
        : value !== null && typeof value === "object"
          ? `{${Object.entries(value)
              .map(([key, item]) => `${JSON.stringify(key)}:${asText(item)}`)
              .join(",")}}`
          : JSON.stringify(value);
  // The rule, applied to the literal as written (a double can be written as a large integer too).
  const fromLiteral = (literal: string) =>
    /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))
      ? literal
      : (JSON.parse(literal) as unknown);
  const expected = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(expected)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expected(item)]))
        : typeof value === "string"
          ? value
          : fromLiteral(asText(value));

  it("gives every integer beyond 2^53 as text, whatever surrounds it (property)", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(parseJsonLossless(asText(value))).toEqual(expected(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it("still rejects invalid JSON", () => {
    expect(() => parseJsonLossless("{")).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":01}')).toThrow(SyntaxError);
  });
});

describe("topLevelValueText", () => {
  const refund = `{
    "id": 1,
    "transactions": [{"order_id": 111111111111111111111, "amount": "1.00"}],
    "nested": {"order_id": 222},
    "order_id" : 820982911946154508,
    "order_adjustments": [{"order_id": 333}]
  }`;

  it("finds the top-level key, not the nested ones before or after it", () => {
    expect(topLevelValueText(refund, "order_id")).toBe("820982911946154508");
  });

  it("is null when only nested keys exist", () => {
    expect(topLevelValueText('{"a":{"order_id":5},"b":[{"order_id":6}]}', "order_id")).toBeNull();
  });

  it("does not mistake a string VALUE for a key", () => {
    expect(topLevelValueText('{"note":"order_id","x":1}', "order_id")).toBeNull();
    expect(topLevelValueText('{"note": "\\"order_id\\": 5"}', "order_id")).toBeNull();
  });

  it("reads string values without their quotes, and nothing for objects or null", () => {
    expect(topLevelValueText('{"order_id":"820982911946154508"}', "order_id")).toBe(
      "820982911946154508",
    );
    expect(topLevelValueText('{"order_id":null}', "order_id")).toBeNull();
    expect(topLevelValueText('{"order_id":{"id":5}}', "order_id")).toBeNull();
  });

  it("takes the last of duplicate keys, like JSON.parse", () => {
    expect(topLevelValueText('{"order_id":1,"order_id":2}', "order_id")).toBe("2");
  });
});
