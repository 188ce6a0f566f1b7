/**
 * Generated from openapi.yaml by scripts/generate.mjs: do not edit.
 * Regenerate with `npm run generate`; `npm test` fails when this file is stale.
 */

import type { components } from './openapi.js';

/** The tables of `TableCounts`, in the order openapi.yaml lists them (parents before children). */
export const TABLES = ["organizations","users","memberships","addresses","products","orders","order_items","payments","shipments"] as const satisfies readonly (keyof components['schemas']['TableCounts'])[];
