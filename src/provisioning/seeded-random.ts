import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker';
// The en entry point loads one locale instead of seventy: a third faster to import.
import { faker as englishFaker } from '@faker-js/faker/locale/en';

/**
 * Dates in the graph are relative to this constant, not to "now": the same
 * seed gives the same timestamps on any machine, any day. Changing it
 * changes every recipe's output (bump their versions).
 */
export const REFERENCE_DATE = new Date('2025-01-01T00:00:00.000Z');

/**
 * Fast draws for hot loops (a bulk graph makes millions): plain arithmetic
 * over the same generator faker uses, where faker.number.int spends most of
 * its time on option handling.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer from min to max, both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: ReadonlyArray<{ weight: number; value: T }>): T;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** A date up to `days` before REFERENCE_DATE (whole seconds). */
  recentDate(days: number): Date;
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast counter), seeded through
 * splitmix32: 32-bit integer arithmetic only, so every machine draws the same
 * sequence. Quality is ample for test data. Closures, not a class: faker
 * calls `next` detached from its object.
 */
function sfc32(initialSeed: number): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  const seed = (value: number | number[]): void => {
    const words = Array.isArray(value) ? value : [value];
    let state = 0x9e3779b9;
    for (const word of words) state = Math.imul(state ^ (word >>> 0), 0x85ebca6b) >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    a = splitmix();
    b = splitmix();
    c = splitmix();
    d = splitmix();
    // The first outputs of a fresh state are weakly mixed: discard them.
    for (let round = 0; round < 12; round += 1) next();
  };
  seed(initialSeed);
  return { next, seed };
}

// The en entry exports only an instance; its class and merged [en, base]
// definitions build private instances like new Faker({ locale: [en, base] }).
const FakerClass = englishFaker.constructor as new (options: { locale: LocaleDefinition; randomizer: Randomizer }) => Faker;
const ENGLISH: LocaleDefinition = englishFaker.rawDefinitions;
const DAY_SECONDS = 86_400;

export interface RandomSources {
  faker: Faker;
  random: SeededRandom;
}

interface Sources extends RandomSources {
  randomizer: Randomizer;
}

function createSources(seed: number): Sources {
  const randomizer = sfc32(seed);
  const faker = new FakerClass({ locale: ENGLISH, randomizer });
  faker.setDefaultRefDate(REFERENCE_DATE);
  const reference = REFERENCE_DATE.getTime();
  const int = (min: number, max: number): number => min + Math.floor(randomizer.next() * (max - min + 1));
  const random: SeededRandom = {
    next: () => randomizer.next(),
    int,
    pick: (items) => items[Math.floor(randomizer.next() * items.length)]!,
    weighted(entries) {
      let total = 0;
      for (const entry of entries) total += entry.weight;
      let draw = randomizer.next() * total;
      for (const entry of entries) {
        draw -= entry.weight;
        if (draw < 0) return entry.value;
      }
      return entries[entries.length - 1]!.value;
    },
    chance: (probability) => randomizer.next() < probability,
    recentDate: (days) => new Date(reference - int(1, days * DAY_SECONDS) * 1000),
  };
  return { faker, random, randomizer };
}

/** A private faker and fast draws from one seeded stream, reference date fixed (tests and tools). */
export function createRandomSources(seed: number): RandomSources {
  const { faker, random } = createSources(seed);
  return { faker, random };
}

/**
 * Idle instances, re-seeded on reuse. Building a Faker binds every method of
 * every module: ~0.5 ms of CPU, a tenth of a small request's budget. Faker
 * keeps no state besides its randomizer and reference date (both reset
 * here), so a re-seeded instance draws exactly what a new one would; and an
 * instance belongs to one request at a time, never to two.
 */
const idle: Sources[] = [];
const MAX_IDLE = 32;

export interface LeasedRandomSources extends RandomSources {
  /** Gives the instance back; call once the build is over (success or failure). */
  release(): void;
}

/** Seeded sources for one request's build: a private instance until released. */
export function leaseRandomSources(seed: number): LeasedRandomSources {
  const sources = idle.pop();
  if (sources) {
    sources.randomizer.seed(seed);
    sources.faker.setDefaultRefDate(REFERENCE_DATE);
  }
  const leased = sources ?? createSources(seed);
  let released = false;
  return {
    faker: leased.faker,
    random: leased.random,
    release() {
      if (released) return;
      released = true;
      if (idle.length < MAX_IDLE) idle.push(leased);
    },
  };
}
