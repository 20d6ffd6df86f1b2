/** How much one transaction may write: MongoDB aborts a transaction after 60 s by default. */
export type TransactionBound = { maxOperations: number; maxBytes: number };

/**
 * Splits a batch's operations, in order, into runs that each fit the bound (an operation larger
 * than `maxBytes` by itself gets a run of its own, which the database then judges).
 */
export const boundedRuns = <Op>(operations: readonly Op[], bound: TransactionBound, sizeOf: (op: Op) => number) => {
  const runs: Op[][] = [];
  let run: Op[] = [];
  let bytes = 0;
  for (const op of operations) {
    const size = sizeOf(op);
    if (run.length > 0 && (run.length >= bound.maxOperations || bytes + size > bound.maxBytes)) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(op);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
};
