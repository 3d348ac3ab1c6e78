import { readFileSync } from "node:fs";

function statusFieldKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]);
}

/**
 * Follows one process's resident memory: `sample()` reads VmRSS (call it while load runs);
 * `peakMb()` is the larger of the samples and the kernel's high-water mark VmHWM, so a peak
 * between samples is not missed. Read it before the process exits.
 */
export function trackPeakRss(pid: number) {
  let peakKb = 0;
  return {
    sample() {
      peakKb = Math.max(peakKb, statusFieldKb(pid, "VmRSS"));
    },
    peakMb() {
      peakKb = Math.max(peakKb, statusFieldKb(pid, "VmHWM"));
      return peakKb / 1024;
    },
  };
}
