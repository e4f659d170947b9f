// Timestamps read back from an AnalysisRun's status. The engine never reads the system clock itself: it
// runs on @ramp/kube's Clock (the CLI passes keepAliveClock; tests the FakeClock of @ramp/analysis/testing).

/** Reads a timestamp from a status; undefined when absent or unreadable. */
export function parseTime(text: string | undefined): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
