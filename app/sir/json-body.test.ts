import { describe, expect, it } from "vitest";
import { JsonNumberText, isDecimalString, serializeJson } from "./json-body";

describe("serializeJson", () => {
  it("matches JSON.stringify for plain values and drops undefined members", () => {
    const value = { a: 1, b: 'x"y', c: [true, null, { d: undefined, e: 2.5 }], f: undefined };
    expect(serializeJson(value)).toBe(JSON.stringify(value));
  });

  it("writes decimal text verbatim, beyond float precision", () => {
    const body = serializeJson({ amount: new JsonNumberText("12345678901234567.89") });
    expect(body).toBe('{"amount":12345678901234567.89}');
    expect(String(Number("12345678901234567.89"))).not.toBe("12345678901234567.89");
  });

  it("keeps trailing zeros exactly as given", () => {
    expect(serializeJson([new JsonNumberText("10.50")])).toBe("[10.50]");
  });
});

describe("isDecimalString", () => {
  it.each(["0", "49.99", "100", "0.01", "10.50"])("accepts %s", (text) => {
    expect(isDecimalString(text)).toBe(true);
  });
  it.each(["", "-1", "1e3", "049.99", ".5", "5.", "1,5", " 1", "NaN", "Infinity"])(
    "rejects %j",
    (text) => {
      expect(isDecimalString(text)).toBe(false);
    },
  );
});
