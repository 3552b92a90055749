// Trace attribution: a traced run's main-thread tasks (mainThreadTasks),
// which of them hold a banner's work and how much (attribute), and the
// figures of each window of a run (windows, windowFigures). Pure: events in,
// figures out.

// The main thread's tasks from a trace (Tracing.dataCollected events), in
// the page's clock: the page's main thread is the one on which the probe's
// `bench:probe` mark was recorded, and that mark's trace time minus its
// performance.now() time is the trace time of navigation start. Each task
// is a RunTask event with what ran inside it as a tree (complete events
// nest by time on one thread; instant events and the starts of Long
// Animation Frame script entries are leaves). A task run inside another
// (rare) is part of the outer one.
export function mainThreadTasks(events) {
  const mark = events.find((e) => e.name === 'bench:probe' && e.cat.includes('blink.user_timing'));
  const startTime = mark?.args?.data?.startTime;
  if (startTime === undefined) throw new Error('the trace has no bench:probe mark with a start time');
  const zero = mark.ts - startTime * 1000;
  const nodes = events
    .filter((e) => e.pid === mark.pid && e.tid === mark.tid
      && ((e.ph === 'X' && e.dur !== undefined) || e.ph === 'I' || e.ph === 'i' || (e.ph === 'b' && e.name === LOAF_SCRIPT)))
    .map((e) => ({ e, ts: e.ts, dur: e.ph === 'X' ? e.dur : 0, children: [] }))
    .sort((x, y) => x.ts - y.ts || y.dur - x.dur);
  // Style and layout that the browser runs when it renders (not forced
  // by a script) name what invalidated them, as DevTools does: the first
  // style (resp. layout) invalidation since the last style recalculation
  // (resp. layout) on the thread.
  const first = { UpdateLayoutTree: null, Layout: null };
  const invalidates = { ScheduleStyleRecalculation: 'UpdateLayoutTree', InvalidateLayout: 'Layout' };
  for (const n of nodes) {
    if (invalidates[n.e.name]) first[invalidates[n.e.name]] ??= n.e;
    else if (n.e.name in first) {
      n.initiator = first[n.e.name];
      first[n.e.name] = null;
    }
  }
  // Long Animation Frame script entries, begin to end: a script run that
  // starts inside one (its begin comes a few µs before the run's own event)
  // runs that entry's script.
  const scripts = [];
  for (const e of events) {
    if (e.name !== LOAF_SCRIPT || e.pid !== mark.pid || e.tid !== mark.tid) continue;
    if (e.ph === 'b') scripts.push({ start: e.ts, end: Infinity, url: loaf(e)?.source_location_url });
    else if (e.ph === 'e' && scripts.length && scripts.at(-1).end === Infinity) scripts.at(-1).end = e.ts;
  }
  const tasks = [];
  const open = [];
  for (const n of nodes) {
    while (open.length && n.ts >= open.at(-1).ts + open.at(-1).dur) open.pop();
    if (open.length) open.at(-1).children.push(n);
    else if (n.e.name === 'RunTask') tasks.push(n);
    else continue; // outside any task
    if (n.dur > 0) open.push(n);
  }
  return tasks.map((n) => ({ start: (n.ts - zero) / 1000, duration: n.dur / 1000, node: n, zero, scripts }));
}

// ---- Which tasks are a banner's, and how much of them.
// The parts of a banner's work, as attribute() counts them: [key, name].
export const PARTS = [['module', 'module eval'], ['wasm', 'wasm compile+instantiate'], ['lazy', 'wasm lazy compile'],
  ['layout', 'forced style & layout'], ['rendering', 'style & layout it invalidated'], ['script', 'other script']];
const noParts = () => Object.fromEntries(PARTS.map(([k]) => [k, 0]));
// Events that run script (a callback, a script or module, a timer, an event's
// listeners, microtasks) or compile it: where such an event runs a
// banner's code, its time is the banner's.
const SCRIPT_RUNS = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'v8.run',
  'FunctionCall', 'v8.callFunction', 'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'EventDispatch',
  'RunMicrotasks']);
const MODULE_RUNS = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'v8.run']);
// The start of a Long Animation Frame script entry: the script's source URL
// and how it was invoked (a promise resolved, a timer, …); Chromium traces the
// entries of 5 ms or more in long frames.
const LOAF_SCRIPT = 'AnimationFrame::Script::Execute';
const loaf = (e) => (e.name === LOAF_SCRIPT ? e.args?.animation_frame_script_timing_info : undefined);
const isWasm = (e) => /^(v8\.)?wasm\./.test(e.name);
// The script an event runs or compiles, where it names one ('' where not,
// e.g. a callback of the probe, which has no URL).
const scriptUrl = (e) => (SCRIPT_RUNS.has(e.name) && (e.args?.data?.url || e.args?.fileName)) || '';

// Attributes one task of a banner's page to the banner `b`. An event is
// the banner's own when it runs or compiles one of the banner's sources
// (its URL), has one of them in its stack trace (any frame), is a script
// run that starts in a Long Animation Frame script entry of one of them
// (a module's evaluation, a promise's continuation: events that name no
// script), is WebAssembly work (b.wasm: only Koekje's page has any), or
// is the style recalculation or layout of a rendering that the banner's
// code invalidated first. A script run (see SCRIPT_RUNS) that is not
// another script's and has any of the banner's in it is the banner's,
// whole, except what runs inside it that is someone else's: a callback
// (FunctionCall) with nothing of the banner's in it, as the probe's or the
// fixture's listeners (the layout the probe forces, too). Returns whether
// the task has any of the banner's work in it (`own`), that work's time in
// ms (`work`, the banner's self time in the task), that time in parts
// (module evaluation, wasm compile and instantiate, wasm lazy compile,
// style and layout its code forced, style and layout it invalidated,
// other script), and the runs counted (for results.json). `origin` is the
// bench server's, where the sources are.
function attribute(task, b, origin) {
  const mine = (url) => !!url && b.sources.some((s) => url.startsWith(origin + s));
  const stackOf = (e) => (e?.args?.data?.stackTrace ?? []).some((f) => mine(f.url));
  const ownEvent = (e) => (b.wasm && isWasm(e)) || mine(scriptUrl(e)) || mine(loaf(e)?.source_location_url) || stackOf(e);
  const invalidated = (n) => stackOf(n.initiator);
  // A script run (not a callback: those name their script) that starts in a
  // Long Animation Frame script entry of the banner's.
  const entered = (n) => SCRIPT_RUNS.has(n.e.name) && n.e.name !== 'FunctionCall'
    && task.scripts.some((l) => mine(l.url) && l.start <= n.ts && n.ts <= l.end);
  const memo = new Map();
  const has = (n) => {
    if (!memo.has(n)) memo.set(n, ownEvent(n.e) || invalidated(n) || entered(n) || n.children.some(has));
    return memo.get(n);
  };
  const parts = noParts();
  const runs = [];
  // The banner's time in n's subtree (µs); `kind`, within one of its
  // script runs: where that run's own time goes ('module' or 'script').
  const time = (n, kind) => {
    const { e } = n;
    const url = scriptUrl(e);
    const foreign = url !== '' && !mine(url);
    if (kind === undefined || foreign) {
      if (!has(n)) return 0;
      if (!foreign && (SCRIPT_RUNS.has(e.name) || isWasm(e) || invalidated(n))) {
        const t = time(n, MODULE_RUNS.has(e.name) ? 'module' : invalidated(n) ? 'rendering' : 'script');
        const info = n.children.map((c) => loaf(c.e)).find(Boolean);
        runs.push({ name: e.name, start: (n.ts - task.zero) / 1000, duration: n.dur / 1000, work: t / 1000,
          what: info ? `${info.invoker_type} ${info.property_like_name} ${info.source_location_url}`.trim() : url || e.args?.data?.type || '' });
        return t;
      }
      return n.children.reduce((s, c) => s + time(c, undefined), 0);
    }
    if (e.name === 'FunctionCall' && !has(n)) return 0; // someone else's callback
    if (isWasm(e) || e.name === 'UpdateLayoutTree' || e.name === 'Layout') {
      parts[e.name === 'wasm.CompileLazy' ? 'lazy' : isWasm(e) ? 'wasm' : kind === 'rendering' ? kind : 'layout'] += n.dur;
      return n.dur;
    }
    const inner = n.children.reduce((s, c) => s + time(c, kind), 0);
    const self = Math.max(0, n.dur - n.children.reduce((s, c) => s + c.dur, 0));
    parts[kind] += self;
    return self + inner;
  };
  const work = time(task.node, undefined) / 1000;
  for (const k of Object.keys(parts)) parts[k] /= 1000;
  return { own: has(task.node), work, parts, runs };
}

// The longest of some tasks (0 if none), and their blocking time: what
// each spends over 50 ms, summed, as in total blocking time.
const longestOf = (tasks) => Math.max(0, ...tasks.map((t) => t.duration));
const blockingOf = (tasks) => tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);

// The longest task and the total blocking time among the tasks that
// overlap [from, to].
export function blocking(tasks, from, to) {
  const during = tasks.filter((t) => t.start < to && t.start + t.duration > from);
  return { longest: longestOf(during), tbt: blockingOf(during) };
}

// A run's three windows, each task in one: to visible (the tasks begun
// before the banner was visible), after visible (begun after it, ended
// before the click) and on click (those overlapping the click → release);
// `m` is what the probe recorded.
export function windows(tasks, m) {
  const end = (t) => t.start + t.duration;
  return {
    ToVisible: tasks.filter((t) => t.start < m.visibleAt && end(t) > 0),
    AfterVisible: tasks.filter((t) => t.start >= m.visibleAt && end(t) <= m.clickAt),
    OnClick: tasks.filter((t) => t.start < m.releasedAt && end(t) > m.clickAt),
  };
}

// A window's tasks, whole page and banner's: the longest task and the
// blocking time of all; of the tasks with the banner's work in them, the
// same; the banner's longest work in one task and its work in all, in
// parts; and the banner's tasks, listed.
export function windowFigures(during, b, origin) {
  const mine = during.map((t) => ({ t, a: attribute(t, b, origin) })).filter(({ a }) => a.own);
  const parts = noParts();
  for (const { a } of mine) for (const k of Object.keys(parts)) parts[k] += a.parts[k];
  return {
    longest: longestOf(during),
    tbt: blockingOf(during),
    ownLongest: longestOf(mine.map(({ t }) => t)),
    ownTbt: blockingOf(mine.map(({ t }) => t)),
    workLongest: Math.max(0, ...mine.map(({ a }) => a.work)),
    workTotal: mine.reduce((sum, { a }) => sum + a.work, 0),
    parts,
    tasks: mine.map(({ t, a }) => ({ start: t.start, duration: t.duration, work: a.work, parts: a.parts, runs: a.runs })),
  };
}

