import type { SeededRandom } from '../../provisioning/seeded-random';

/**
 * `n` distinct indexes of 0..count-1 in draw order (repeats only when
 * n > count). Rejection sampling: O(n) draws however large `count` is, where
 * faker.helpers.arrayElements would shuffle a copy of the whole array.
 */
export function pickIndexes(random: SeededRandom, count: number, n: number): number[] {
  const picked: number[] = [];
  if (n >= count) {
    for (let index = 0; index < n; index += 1) picked.push(index % count);
    return picked;
  }
  while (picked.length < n) {
    const candidate = random.int(0, count - 1);
    if (!picked.includes(candidate)) picked.push(candidate);
  }
  return picked;
}
