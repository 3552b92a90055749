// Koekje's goals: the report's medians against what Koekje aims for.
import { WINDOWS } from './report.mjs';

// `unthrottled` and `throttled` (undefined without the throttled pass): the
// medians printTimes and printThrottled return; `firstBytes`: printBytes's.
export function printGoals({ unthrottled, throttled, firstBytes }) {
  const slowed = (key) => {
    const m = throttled?.[key] ?? {};
    return [m.koekje, m.vanilla, m.ratio, m.none];
  };
  // [title, at most (undefined: context, not a goal), unit, Koekje, vanilla,
  // Koekje / vanilla, the page alone]
  const GOALS = [
    ['first-visit bytes (gzip -9)', 36_000, 'B', firstBytes.koekje.gzip, firstBytes.vanilla.gzip,
      firstBytes.koekje.gzip / firstBytes.vanilla.gzip],
    ...WINDOWS.flatMap(([w], i) => {
      const when = ['to visible', 'after visible', 'on click'][i];
      return [
        [`its work in a task 4x, ${when}`, 50, 'ms', ...slowed(`workLongest${w}`)],
        [`  its longest task, ${when}`, undefined, 'ms', ...slowed(`ownLongest${w}`)],
        [`  its blocking time, ${when}`, undefined, 'ms', ...slowed(`ownTbt${w}`)],
        [`  page's longest task, ${when}`, undefined, 'ms', ...slowed(`longest${w}`)],
      ];
    }),
    ['banner in DOM, koekje/vanilla', 1, '', unthrottled.inserted.ratio],
    ['banner visible, koekje/vanilla', 0.75, '', unthrottled.visible.ratio],
    ['click → released, k/v', 1, '', unthrottled.release.ratio],
    ['wasm memory', 256, 'KiB', unthrottled.wasmKiB.koekje],
  ];
  const show = (v, unit, width) => (v === undefined || !Number.isFinite(v) ? ''
    : unit === '' ? v.toFixed(2) : unit === 'ms' ? v.toFixed(1) : String(Math.round(v))).padStart(width);
  console.log('\nGoals (medians of runs; 4x: with the CPU slowdown). No task over 50 ms caused by Koekje is judged by'
    + '\n"its work in a task": the longest time its own work took in one main-thread task. Indented rows are'
    + '\ncontext, not judged: the tasks with its work in them, whole (with the page\'s own work they also hold),'
    + '\nand the whole page\'s longest task; page: the page alone, no banner:');
  console.log('goal'.padEnd(36) + 'at most'.padStart(10) + 'koekje'.padStart(10) + 'vanilla'.padStart(10) + 'k/v'.padStart(7)
    + 'page'.padStart(8));
  for (const [title, goal, unit, k, v, ratio, page] of GOALS) {
    const met = goal === undefined ? '' : k === undefined ? 'not measured' : k <= goal ? 'met' : 'not met';
    console.log((title.padEnd(36) + (goal === undefined ? '' : `${show(goal, unit, 0)} ${unit}`).padStart(10) + show(k, unit, 10)
      + show(v, unit, 10) + show(ratio, '', 7) + show(page, unit, 8) + `   ${met}`).trimEnd());
  }
}
