// The held analytics script of the benchmark pages: once a banner releases
// it, it records when it ran (milliseconds since navigation start).
(window.__bench ||= {}).releasedAt = performance.now();
