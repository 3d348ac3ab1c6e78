// A reader of Prometheus's text exposition format (0.0.4), strict enough to catch a malformed
// scrape: each sample line parses, each family has one HELP and one TYPE before its samples, and
// no family appears twice. For tests and the demo.

export type Sample = { name: string; labels: Record<string, string>; value: number };
export type Scrape = { samples: Sample[]; types: Map<string, string> };

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const FAMILY_SUFFIXES = ["_bucket", "_sum", "_count"];

export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const finished = new Set<string>();
  let current: string | null = null;
  const enter = (family: string) => {
    if (family === current) return;
    if (current) finished.add(current);
    if (finished.has(family)) throw new Error(`metric family ${family} appears twice`);
    current = family;
  };
  for (const [index, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      const [, kind, family, rest] = comment;
      enter(family);
      const seen = kind === "HELP" ? helped : types;
      if (seen.has(family)) throw new Error(`line ${index + 1}: second ${kind} for ${family}`);
      if (kind === "HELP") helped.add(family);
      else types.set(family, rest);
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a sample: ${line}`);
    const [, name, labelText = "", valueText] = match;
    const value = Number(valueText === "+Inf" ? Infinity : valueText);
    if (Number.isNaN(value) && valueText !== "NaN") {
      throw new Error(`line ${index + 1}: value ${valueText}`);
    }
    const family = types.has(name)
      ? name
      : (FAMILY_SUFFIXES.map((suffix) => name.slice(0, -suffix.length)).find(
          (base, i) => name.endsWith(FAMILY_SUFFIXES[i]) && types.has(base),
        ) ?? name);
    if (family !== current) throw new Error(`line ${index + 1}: ${name} outside its family`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of labelText.matchAll(LABEL)) {
      labels[key] = raw.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    samples.push({ name, labels, value });
  }
  return { samples, types };
}

/** The value of the one sample named so whose labels include these, or undefined. */
export function sampleValue(
  scrape: Scrape,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = scrape.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
  return found[0]?.value;
}
