/** The first position in `sorted` (ascending) whose value is not below `key`: a binary search. */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, key: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the ascending `sorted` holds `key`. */
export function sortedHas<T extends string | number>(sorted: ArrayLike<T>, key: T): boolean {
  const at = lowerBound(sorted, key);
  return at < sorted.length && sorted[at] === key;
}
