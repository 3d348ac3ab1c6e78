import { describe, expect, it } from "vitest";
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

  it("does not touch digits inside strings, including escaped quotes", () => {
    const text = '{"note":"order \\"820982911946154508\\" 1e5","ids":[9223372036854775807]}';
    expect(parseJsonLossless(text)).toEqual({
      note: 'order "820982911946154508" 1e5',
      ids: ["9223372036854775807"],
    });
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
