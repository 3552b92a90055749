// The report: min / median / max of each figure per banner and the ratios
// Koekje / vanilla run pair by run pair, the bytes each banner fetched, and
// the throttled pass's windows and Koekje's work in parts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzip } from '../size.mjs';
import { BANNERS, root, SETTLE_MS, WHO } from './options.mjs';
import { median, summary } from './stats.mjs';
import { PARTS } from './trace.mjs';

const line = (metric, who, [lo, mid, hi], digits) =>
  console.log(metric.padEnd(30) + who.padEnd(16) + [lo, mid, hi].map((v) => v.toFixed(digits).padStart(10)).join(''));
// Prints min / median / max of each metric per banner, and for the
// metrics with a ratio, Koekje / vanilla per run pair (pairs where
// vanilla's figure is 0 have none). Returns the medians, for the goals.
const table = (set, metrics) => {
  const medians = {};
  console.log('\n' + 'metric'.padEnd(30) + 'banner'.padEnd(16) + ['min', 'median', 'max'].map((h) => h.padStart(10)).join(''));
  for (const metric of metrics) {
    if (typeof metric === 'string') { // a heading
      console.log(metric);
      continue;
    }
    const [key, title, digits, ratio] = metric;
    let first = true;
    medians[key] = {};
    for (const who of [...WHO, 'none']) {
      const values = (set[who] ?? []).map((r) => r[key]).filter((v) => v !== undefined);
      if (values.length === 0) continue;
      medians[key][who] = median(values);
      line(first ? title : '', who === 'none' ? 'page alone' : who, summary(values), digits);
      first = false;
    }
    if (!ratio) continue;
    const ratios = set.koekje.map((k, i) => k[key] / set.vanilla[i][key]).filter(Number.isFinite);
    if (ratios.length) {
      medians[key].ratio = median(ratios);
      line('', 'koekje/vanilla', summary(ratios), 2);
    } else console.log(''.padEnd(30) + 'koekje/vanilla'.padEnd(16) + 'none (vanilla: 0)'.padStart(30));
  }
  return medians;
};

// [key, title, decimals, Koekje / vanilla ratio]: the times both passes measure.
const TIMES = [
  ['inserted', 'banner in DOM (ms)', 1, true],
  ['visible', 'banner visible (ms)', 1, true],
  ['release', 'click → released (ms)', 1, true],
];

// The times of the unthrottled pass; returns their medians.
export function printTimes(results) {
  const medians = table(results, [
    ...TIMES,
    ['longTasks', 'long tasks (count)', 0, false],
    ['longTaskMs', 'long tasks (total ms)', 1, false],
    ['wasmKiB', 'wasm memory (KiB)', 0, false],
    ['laterReleased', 'later view: released (ms)', 1, true],
  ]);
  console.log('(ratios are per run pair; times are from navigation start except "click → released";\n'
    + ' the later view is a second load in the same context, with the choice stored)');
  return medians;
}

// ---- Bytes: what each banner's page fetched from the banner's files (its
// route on the server), per run; they should not vary between runs.
const bytes = (rows, b, served) => {
  const own = rows.filter((r) => r.path.startsWith(b.files));
  return {
    gzip: own.reduce((sum, r) => sum + served.get(r.path).gzip.length, 0),
    transferred: own.reduce((sum, r) => sum + r.transferred, 0),
    files: own.map((r) => `${r.path.slice(b.files.length)}${r.status === 200 ? '' : ` (${r.status})`}`).sort().join(', '),
  };
};

// The bytes each banner fetched, on a first visit and on a later view, and
// anything else one page fetched that the other did not; `served`: what the
// bench's server served. Returns the first visit's medians.
export function printBytes(results, served) {
  const fetches = {};
  for (const who of WHO) {
    const per = (view) => results[who].map((r) => bytes(r[view], BANNERS[who], served));
    fetches[who] = { first: per('firstVisit'), later: per('laterView') };
  }
  console.log('\nBytes the banner fetches (its files; gzip -9 of each file, as scripts/size.mjs; transferred: as the'
    + '\nbench server sent them, gzip-encoded, by Resource Timing, which counts 300 B of headers a file; median of runs):');
  console.log(''.padEnd(30) + 'banner'.padEnd(16) + 'gzip -9'.padStart(10) + 'transferred'.padStart(13) + '   files');
  const byteLines = (title, view) => {
    const med = {};
    WHO.forEach((who, i) => {
      const runs = fetches[who][view];
      med[who] = { gzip: median(runs.map((r) => r.gzip)), transferred: median(runs.map((r) => r.transferred)) };
      const files = [...new Set(runs.map((r) => r.files))].join(' | or | ');
      console.log((i ? '' : title).padEnd(30) + who.padEnd(16) + String(med[who].gzip).padStart(10)
        + String(med[who].transferred).padStart(13) + `   ${files}`);
    });
    if (med.vanilla.gzip > 0) {
      console.log(''.padEnd(30) + 'koekje/vanilla'.padEnd(16) + (med.koekje.gzip / med.vanilla.gzip).toFixed(2).padStart(10)
        + (med.koekje.transferred / med.vanilla.transferred).toFixed(2).padStart(13));
    }
    return med;
  };
  const firstBytes = byteLines('first visit, to visible', 'first');
  byteLines('later view, choice stored', 'later');
  const inlineConfig = readFileSync(join(root, 'bench/vanilla-head.html'), 'utf8').match(/<script type="module">[\s\S]*?<\/script>/)[0];
  console.log(`(vanilla's configuration is inline in its page: ${gzip(Buffer.from(inlineConfig)).length} B gzip more, `
    + 'not counted above; Koekje\'s built-in one is in its wasm.\n'
    + ' On the later view the server answers the revalidation (no-cache, ETag) with 304, headers only;\n'
    + ' its gzip -9 column is what the files fetched again would be without it.)');
  // Anything else one page fetched that the other did not is the banner's too: say so.
  for (const who of WHO) {
    const other = WHO.find((w) => w !== who);
    const theirs = new Set(results[other].flatMap((r) => r.firstVisit.map((f) => f.path)));
    const extra = [...new Set(results[who].flatMap((r) => r.firstVisit.map((f) => f.path)))]
      .filter((path) => !path.startsWith(BANNERS[who].files) && !theirs.has(path));
    if (extra.length) console.log(`${who} also fetched, outside its files (not counted above): ${extra.join(', ')}`);
  }
  return firstBytes;
}

// The throttled pass's windows: [key suffix, heading].
export const WINDOWS = [
  ['ToVisible', '-- to visible: tasks begun from navigation start until the banner is visible'],
  ['AfterVisible', `-- after visible: tasks begun after it, ended by the click (${SETTLE_MS} ms later)`],
  ['OnClick', '-- on click: tasks overlapping click → released'],
];

// The throttled pass: its windows, for the whole page and each banner's own
// work, and Koekje's work in parts; returns the medians.
export function printThrottled(results) {
  console.log('\nWith a 4x CPU slowdown (CDP Emulation.setCPUThrottlingRate 4), traced; tasks are the page main'
    + '\nthread\'s RunTask events. Per window, for the whole page and for the banner\'s own work (its scripts, see'
    + '\nattribute() in scripts/bench/trace.mjs): "its tasks" are the tasks with any of its work in them, "its work" the'
    + '\ntime of that work inside them (what it caused; the rest of such a task is the page\'s own):');
  const throttled = table(results.throttled, [
    ...TIMES,
    ...WINDOWS.flatMap(([w, heading]) => [
      heading,
      [`longest${w}`, 'longest task, whole page', 1, true],
      [`tbt${w}`, 'blocking time, whole page', 1, true],
      [`ownLongest${w}`, 'longest of its tasks', 1, true],
      [`ownTbt${w}`, 'blocking time of its tasks', 1, true],
      [`workLongest${w}`, 'its work, longest in a task', 1, true],
      [`workTotal${w}`, 'its work, all tasks', 1, true],
    ]),
  ]);
  console.log('(ms; blocking time: what each task spends over 50 ms, summed, as in total blocking time;\n'
    + ' page alone: bench/none.html, no banner, from navigation start to when the same pair\'s Koekje banner was visible)');

  // Koekje's own work in parts, per window: medians of runs, and the run
  // with the median longest work to visible, task by task.
  const runs = results.throttled.koekje;
  console.log('\nKoekje\'s own work at 4x, in parts (ms, medians of runs; wasm lazy compile: functions compiled on\n'
    + 'their first call, inside the start, the resume and the click; style & layout: what its code forced):');
  const what = { ToVisible: 'the module, the wasm, _start', AfterVisible: '_resume, callbacks', OnClick: 'Accept all' };
  for (const [w, heading] of WINDOWS) {
    const parts = PARTS.map(([k, name]) => [name, median(runs.map((r) => r[`parts${w}`][k]))]).filter(([, v]) => v >= 0.05);
    const count = median(runs.map((r) => r[`tasks${w}`].length));
    console.log(`${heading.slice(3, heading.indexOf(':'))} (${what[w]}): ${parts.map(([name, v]) => `${name} ${v.toFixed(1)}`).join(', ') || 'none'}`
      + ` (in ${count} task${count === 1 ? '' : 's'})`);
  }
  const byWork = [...runs].sort((x, y) => x.workLongestToVisible - y.workLongestToVisible);
  const typical = byWork[(byWork.length - 1) >> 1];
  console.log(`its tasks in one run (the median one by its longest work to visible; visible at ${typical.visible.toFixed(0)} ms,`
    + ` click at ${typical.clicked.toFixed(0)} ms):`);
  for (const [w] of WINDOWS) {
    for (const t of typical[`tasks${w}`]) {
      const parts = PARTS.filter(([k]) => t.parts[k] >= 0.05).map(([k, name]) => `${name} ${t.parts[k].toFixed(1)}`);
      console.log(`  at ${t.start.toFixed(0).padStart(5)} ms: task ${t.duration.toFixed(1).padStart(6)}, its work`
        + ` ${t.work.toFixed(1).padStart(6)}${parts.length ? ` (${parts.join(', ')})` : ' (under 0.05 ms: a stack trace of its in the task)'}`);
    }
  }
  return throttled;
}
