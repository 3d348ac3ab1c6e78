/** Request-body checks that answer 400 VALIDATION with a message naming the field. */
import { validationError } from "./errors";
import { parseJsonKeepingNumberText, type ParsedJson } from "./raw-json";

export type Fields = Record<string, unknown>;

export interface JsonBody {
  fields: Fields;
  numberText: ParsedJson["numberText"];
}

export function parseJsonBody(raw: Buffer): JsonBody {
  let parsed: ParsedJson;
  try {
    parsed = parseJsonKeepingNumberText(raw.toString("utf8"));
  } catch (error) {
    throw validationError(raw.length === 0 ? "A JSON body is required" : (error as Error).message);
  }
  return { fields: asObject(parsed.value, "body"), numberText: parsed.numberText };
}

export function asObject(value: unknown, name: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw validationError(`${name} must be a JSON object`);
  }
  return value as Fields;
}

export function requiredString(fields: Fields, name: string, maxLength = 255): string {
  const value = fields[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw validationError(`${name} must be a non-empty string`);
  }
  if (value.length > maxLength) {
    throw validationError(`${name} must be at most ${maxLength} characters`);
  }
  return value;
}

export function optionalString(fields: Fields, name: string, maxLength = 255): string | null {
  if (fields[name] === undefined || fields[name] === null) return null;
  return requiredString(fields, name, maxLength);
}

export function optionalBoolean(fields: Fields, name: string, fallback: boolean): boolean {
  const value = fields[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw validationError(`${name} must be a boolean`);
  return value;
}

export function requiredInteger(fields: Fields, name: string, min: number, max: number): number {
  const value = fields[name];
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw validationError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value as number;
}

export function optionalInteger(
  fields: Fields,
  name: string,
  min: number,
  max: number,
): number | null {
  if (fields[name] === undefined || fields[name] === null) return null;
  return requiredInteger(fields, name, min, max);
}

export function oneOf<T extends string>(fields: Fields, name: string, allowed: readonly T[]): T {
  const value = fields[name];
  if (!allowed.includes(value as T)) {
    throw validationError(
      `${name} must be one of ${allowed.map((item) => `"${item}"`).join(", ")}`,
    );
  }
  return value as T;
}

export function currencyCode(fields: Fields, name: string): string {
  const value = fields[name];
  if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) {
    throw validationError(`${name} must be an ISO 4217 code of 3 upper-case letters, e.g. "USD"`);
  }
  return value;
}

export function optionalHttpUrl(fields: Fields, name: string): string | null {
  const value = optionalString(fields, name, 2048);
  if (value !== null && !isHttpUrl(value)) throw validationError(`${name} must be an http(s) URL`);
  return value;
}

export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

export function parsePaging(query: URLSearchParams): { page: number; limit: number } {
  const page = query.get("page") ?? "1";
  if (!/^[1-9]\d{0,6}$/.test(page)) throw validationError("page must be a positive integer");
  return { page: Number(page), limit: parseLimit(query) };
}

/** `?limit=` from 1 to 100, default 20. */
export function parseLimit(query: URLSearchParams): number {
  const limit = query.get("limit") ?? "20";
  if (!/^[1-9]\d{0,2}$/.test(limit) || Number(limit) > 100) {
    throw validationError("limit must be an integer from 1 to 100");
  }
  return Number(limit);
}

/** A page of ids, newest first, without copying the whole list. */
export function newestFirstPage<T>(
  ids: readonly string[],
  paging: { page: number; limit: number },
  load: (id: string) => T,
) {
  const end = ids.length - (paging.page - 1) * paging.limit;
  const start = Math.max(0, end - paging.limit);
  const items: T[] = [];
  for (let index = end - 1; index >= start; index -= 1) items.push(load(ids[index]));
  return { items, total: ids.length, page: paging.page, limit: paging.limit };
}
