// The held analytics script of the benchmark pages: once a banner releases
// it, it records when it ran (milliseconds since navigation start) and tells
// scripts/bench/index.mjs, which waits for this line.
(window.__bench ||= {}).releasedAt = performance.now();
console.debug('bench:released');
