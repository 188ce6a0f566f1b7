import type { Faker } from '@faker-js/faker';
import type {
  Address,
  Membership,
  Order,
  OrderItem,
  Organization,
  Payment,
  Product,
  Shipment,
  User,
} from '../db/entities';
import type { DomainTable } from '../db/tables';
import type { SeededRandom } from './seeded-random';

/** The record type of each domain table, camelCased as the API returns it. */
export interface DomainRecords {
  organizations: Organization;
  users: User;
  memberships: Membership;
  addresses: Address;
  products: Product;
  orders: Order;
  order_items: OrderItem;
  payments: Payment;
  shipments: Shipment;
}

/** Relation properties of the entities: never written, never returned. */
type RelationKeys = 'user' | 'order' | 'product' | 'organization';

/** A stored row as returned in `data`: every column, nothing else. */
export type StoredRecord<T extends DomainTable> = Omit<DomainRecords[T], RelationKeys>;

/** What a recipe emits: the engine adds `testTag` and `createdAt`. */
export type NewRecord<T extends DomainTable> = Omit<StoredRecord<T>, 'testTag' | 'createdAt'>;

/**
 * Where a recipe sends its records. The engine decides how they reach
 * PostgreSQL (one multi-row INSERT per table, or COPY in chunks) and inside
 * which transaction; the recipe only describes the graph.
 */
export interface RecordSink {
  /**
   * Adds one row, parents before children (a child may reference any parent
   * added earlier). Returns the record as it will be stored; keep it only if
   * the response needs it.
   */
  add<T extends DomainTable>(table: T, record: NewRecord<T>): StoredRecord<T>;
  /**
   * A natural boundary in a large graph (e.g. after each user): the engine
   * may write what was added so far, which keeps memory flat. Await it.
   */
  checkpoint(): Promise<void>;
}

/** Values that must be unique across every request: built from a per-request id and the row index. */
export interface UniqueValues {
  /** Random per request (lowercase letters and digits); never derived from the seed. */
  readonly requestId: string;
  /** `${local}.${requestId}.${index}@${domain}`, the local part reduced to [a-z0-9.]. */
  email(local: string, index: number, domain: string): string;
  /** `${prefix}-${REQUESTID}-${index}`, e.g. `SKU-K3J2H1X0AB-7`. */
  code(prefix: string, index: number): string;
}

/** The seeded sources a recipe draws from: the same seed gives the same graph. */
export interface RandomContext {
  /** A per-request faker with a fixed reference date: for names, words, addresses. */
  faker: Faker;
  /** Fast numeric draws from the same stream: for hot loops (quantities, picks, statuses). */
  random: SeededRandom;
  unique: UniqueValues;
}

export interface BuildContext<P, O> extends RandomContext {
  params: P;
  overrides: O;
  out: RecordSink;
}

/** Constructor of a class-validator DTO whose field initialisers are the defaults. */
export type DtoClass<T> = new () => T;

/**
 * A scenario: pure data about a graph. It declares its inputs and how to
 * build the graph from a seeded faker; it never opens transactions, writes
 * SQL or sets tags (the provisioning engine does).
 */
export interface ScenarioRecipe<P extends object = object, O extends object = object, D = unknown> {
  /** URL segment: POST /scenarios/{name}. */
  name: string;
  description: string;
  /** Bump whenever the output for a given seed and params changes. */
  version: number;
  /** Params DTO: class-validator decorators give bounds, field initialisers the defaults. Its class name is the openapi.yaml schema name. */
  params: DtoClass<P>;
  overrides: DtoClass<O>;
  /** Upper bound of the rows the graph will hold: checked against MAX_ROWS_PER_REQUEST before anything runs. */
  estimateRows(params: P): number;
  /** Load-test scenarios count against MAX_CONCURRENT_BULK. */
  bulk?: boolean;
  /**
   * Unique indexes an overridden value can collide with, mapped to the request
   * path that set it (e.g. `{ uq_users_email: 'overrides.user.email' }`):
   * such a collision is the caller's 409, named by that path.
   */
  uniqueOverrides?: Record<string, string>;
  /** Builds the graph into `ctx.out` and returns the `data` of the response. */
  build(ctx: BuildContext<P, O>): Promise<D> | D;
}

/** A recipe of any params, overrides and data: what the engine and the registry hold. */
export type AnyRecipe = ScenarioRecipe<object, object, unknown>;

/** Identity helper that infers P, O and D for a recipe literal. */
export function defineScenario<P extends object, O extends object, D>(recipe: ScenarioRecipe<P, O, D>): ScenarioRecipe<P, O, D> {
  return recipe;
}
