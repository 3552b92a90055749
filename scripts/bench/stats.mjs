// The statistics the report takes of runs: the median, and min / median / max.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const summary = (xs) => [Math.min(...xs), median(xs), Math.max(...xs)];
