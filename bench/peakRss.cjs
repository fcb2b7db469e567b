// Preloaded into a measured `portolan` process (node --require): prints its peak RSS on exit
// (writes to a pipe are synchronous on Linux and macOS, so the line is not lost).
process.on('exit', () => {
  process.stderr.write(`${JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});
