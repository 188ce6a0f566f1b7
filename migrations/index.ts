import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { OwnState1764500000000 } from './1764500000000-own-state';
import { RowLedger1764500000001 } from './1764500000001-row-ledger';
import { PactMappings1764600000000 } from './1764600000000-pact-mappings';
import { RemoveTagFunction1764700000000 } from './1764700000000-remove-tag-function';
import { RemoveTagCustomPlans1764700000001 } from './1764700000001-remove-tag-custom-plans';
import { RemoveTagDynamicPlans1764700000002 } from './1764700000002-remove-tag-dynamic-plans';
import { ReloadGeneration1764800000000 } from './1764800000000-reload-generation';
import { CopySecret1764900000000 } from './1764900000000-copy-secret';
import { LedgerRowIdentity1764950000000 } from './1764950000000-ledger-row-identity';
import { KeepEmptiedPages1764960000000 } from './1764960000000-keep-emptied-pages';
import { TagKeptReason1764960000001 } from './1764960000001-tag-kept-reason';

/**
 * testapi's own state after the initial schema (row ledger, pact mappings):
 * applied in both modes. A migration that touches only testapi's own tables
 * belongs here; one that touches the shop tables goes into MIGRATIONS only.
 */
export const STATE_MIGRATIONS = [RowLedger1764500000001, PactMappings1764600000000];

/** Own state added after the shop's later migrations: applied in both modes too, listed last to keep each list oldest first. */
const LATER_STATE_MIGRATIONS = [ReloadGeneration1764800000000, CopySecret1764900000000, LedgerRowIdentity1764950000000];

/** Own state added after the shop's KeepEmptiedPages: both modes, listed last in each. */
const LATEST_STATE_MIGRATIONS = [TagKeptReason1764960000001];

/** Every migration of the shop mode, oldest first: the DataSource gets an explicit list, never a glob. */
export const MIGRATIONS = [InitialSchema1764100000000, ...STATE_MIGRATIONS, RemoveTagFunction1764700000000, RemoveTagCustomPlans1764700000001, RemoveTagDynamicPlans1764700000002, ...LATER_STATE_MIGRATIONS, KeepEmptiedPages1764960000000, ...LATEST_STATE_MIGRATIONS];

/** With TESTAPI_TARGET_SCHEMAS: testapi's own state only, in TESTAPI_SCHEMA; the shop tables are never created. */
export const TARGET_MODE_MIGRATIONS = [OwnState1764500000000, ...STATE_MIGRATIONS, ...LATER_STATE_MIGRATIONS, ...LATEST_STATE_MIGRATIONS];
