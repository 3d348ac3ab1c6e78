/**
 * Only the token estimate block's part of the bench: `npx tsx bench/estimate.ts`. Prints its
 * assets' gzipped sizes against the budget and Lighthouse without / with the block (the full
 * `npm run bench` prints the same rows).
 */
import { formatEstimateSizes, measureEstimateSizes } from "../test/widget/asset-sizes";
import { estimateRows, textTable } from "./report";
import { measureEstimateStorefront } from "./storefront";

export async function measureEstimate() {
  return { sizes: measureEstimateSizes(), storefront: await measureEstimateStorefront() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const run = await measureEstimate();
  console.log(formatEstimateSizes(run.sizes).join("\n"));
  console.log(`\n${textTable(estimateRows(run))}`);
  process.exit(0);
}
