import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export type WebToml = {
  name?: string;
  roles?: string[];
  webhooks_path?: string;
  commands: { predev?: string; dev?: string; build?: string };
};

/**
 * shopify.web.toml, read with just what that file uses: `key = "string"`, `key = ["a", "b"]`,
 * `[table]` headers and comments (no TOML parser among the project's dependencies).
 */
export function readWebToml(path = join(ROOT, "shopify.web.toml")): WebToml {
  const result: Record<string, unknown> = { commands: {} };
  let table: Record<string, unknown> = result;
  for (const rawLine of readFileSync(path, "utf8").split("\n")) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[([A-Za-z0-9_]+)\]$/.exec(line);
    if (header) {
      table = (result[header[1]] ??= {}) as Record<string, unknown>;
      continue;
    }
    const entry = /^([A-Za-z0-9_]+)\s*=\s*(.+)$/.exec(line);
    if (!entry) throw new Error(`shopify.web.toml: cannot read line ${JSON.stringify(rawLine)}`);
    // Strings and arrays of strings are JSON as they are written here.
    table[entry[1]] = JSON.parse(entry[2]);
  }
  return result as WebToml;
}

/**
 * A command as the Shopify CLI runs it (launchWebProcess → runCommands): split on `&&`, each
 * part split on spaces and run without a shell, one after the other.
 */
export function cliCommandParts(command: string): Array<{ cmd: string; args: string[] }> {
  return command
    .split("&&")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [cmd, ...args] = part.split(" ");
      return { cmd, args };
    });
}
