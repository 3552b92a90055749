// Benchmarks Koekje against vanilla-cookieconsent 3.1.0 on the same page.
// Usage: npm run bench [-- --runs N] [-- --throttled-runs N] [-- --warmup N] [-- --traces]
// (`npm run bench` builds the release bundle first; this script expects dist/.)
//
// 1. Sizes: runs scripts/size.mjs on dist/, then measures vanilla's two files.
// 2. Browser: builds /bench/koekje.html and /bench/vanilla.html (the demo's home
//    page, www/index.html, with the head of bench/<name>-head.html: one banner
//    each and one held analytics script) and serves them from a local
//    server (Koekje from a copy of dist/ in .bench/dist; every response
//    gzip-encoded, with an ETag, revalidated to 304), and loads them
//    alternately in Debian's headless Chromium, each load in a fresh browser
//    context (empty cache, cookies and storage: every run is a first visit).
//    The page itself clicks "Accept all" (the bench evaluates nothing in it
//    until the held script has run: Playwright's own scripts would run on
//    the main thread). Per run it measures, in the page's own clock
//    (performance.now(), 0 = navigation start):
//      - banner in DOM:     the banner element first exists;
//      - banner visible:    it is rendered (display, visibility) with a non-zero
//                           box, i.e. its entrance animation starts this frame;
//      - click → released:  from just before "Accept all" is clicked (500 ms
//                           after visible) to bench/released.js running;
//      - long tasks:        main-thread tasks over 50 ms before that click;
//      - wasm memory:       Koekje's linear memory after `koekje:ready`;
//      - bytes:             what the banner fetched (its files on the server)
//                           before it was visible: gzip -9 of each file and as
//                           transferred (Resource Timing);
//      - later view:        the page loaded again in the same context, with
//                           the choice stored: when the held script runs, and
//                           which of the banner's files were fetched (304s).
//    Then a second pass (--throttled-runs, 10 by default; 0 skips it) makes
//    the same first visits (no later view) with the CPU slowed down 4x
//    (Chrome DevTools Protocol Emulation.setCPUThrottlingRate, as
//    Lighthouse's mobile preset) and traced (--traces keeps the traces in
//    .bench/traces/): from the main thread's RunTask events, in three
//    windows (to banner visible, from then to the click, and from the click
//    to the release), the longest task and the blocking time (what each
//    task spends over 50 ms) of the whole page, and the banner's own: the
//    tasks with any of its work in them (whole), and the time of its work
//    inside them, in parts (attribute() in trace.mjs says what counts as its work). A
//    control page, bench/none.html (no banner), is traced the same way to
//    the time the pair's Koekje banner was visible: what the page does by
//    itself.
//    It prints min / median / max per banner, for the times the ratio
//    Koekje / vanilla taken run pair by run pair, and a table of Koekje's
//    goals, met or not. It reports; it exits 0 whichever is faster and
//
// The parts, one a file: options.mjs (the command line, the two banners),
// sizes.mjs (1.), server.mjs (the pages and their server), probe.mjs (what
// runs in the page), runs.mjs (the browser runs: Playwright, CDP),
// trace.mjs (the tasks of a trace, attributed), stats.mjs, report.mjs (the
// tables) and goals.mjs (Koekje's goals, met or not).
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { printGoals } from './goals.mjs';
import { root, THROTTLED_RUNS, WHO } from './options.mjs';
import { printBytes, printThrottled, printTimes } from './report.mjs';
import { runAll } from './runs.mjs';
import { startServer } from './server.mjs';
import { copyDist, printSizes } from './sizes.mjs';

copyDist();
printSizes();
const server = await startServer();
const { results, loadAtStart } = await runAll(server);

const unthrottled = printTimes(results);
const firstBytes = printBytes(results, server.served);
const throttled = THROTTLED_RUNS ? printThrottled(results) : undefined;
printGoals({ unthrottled, throttled, firstBytes });

// Timings on a busy machine are slower and noisier: say how busy it was.
const cores = availableParallelism();
const loadAtEnd = loadavg()[0];
console.log(`load average (1 min): ${loadAtStart.toFixed(2)} at start (the build counts), ${loadAtEnd.toFixed(2)} at end, `
  + `on ${cores} cores${loadAtEnd > cores ? ': the machine was busy, trust ratios more than absolute times' : ''}`);

for (const who of WHO) {
  const errors = [...new Set([...results[who], ...results.throttled[who]].flatMap((r) => r.errors))];
  if (errors.length) console.log(`\n${who}: console errors in some runs:\n  ${errors.join('\n  ')}`);
}
writeFileSync(join(root, '.bench/results.json'), JSON.stringify(results, null, 1));
console.log('\nevery run\'s figures: .bench/results.json');
if (server.notFound.size) console.log(`\nthe server answered 404 for: ${[...server.notFound].join(', ')}`);
