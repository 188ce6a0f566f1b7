/**
 * Generated from openapi.yaml by openapi-typescript 7: do not edit.
 * Regenerate with `npm run generate`; `npm test` fails when this file is stale.
 */

export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The environment page
         * @description A web page showing what this environment holds (tags, their rows, expiry), with deletion,
         *     cleanup and a form per scenario. It holds no data: it calls this API from the browser,
         *     asking for the key when one is required (kept in sessionStorage only). Its scripts, styles
         *     and icon load from `/page/{version}/` on the same origin, also without a key.
         */
        get: operations["getEnvironmentPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (does not touch the database) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (database reachable and migrations applied) */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This contract */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This deployment's contract (live)
         * @description The fixed paths of /openapi.yaml plus what this deployment adds: with TESTAPI_TARGET_SCHEMAS, one path
         *     per scenario file (its params and overrides schema and its result) instead of the built-in scenarios,
         *     and POST /graphs typed by the modelled tables (each table a node schema `GraphNode_<table>` with its
         *     columns in `set` and its child keys). Rebuilt after POST /schema/reload. `testapi generate` reads it.
         *     It names your tables and columns, so it needs the key like GET /schema.
         */
        get: operations["getLiveOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.live.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This deployment's contract (live), as YAML */
        get: operations["getLiveOpenApiYaml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Interactive docs of this contract (Swagger UI)
         * @description Swagger UI rendered from /openapi.yaml; "Try it out" calls the service that serves the page,
         *     on any port and behind any path prefix. The page is read as `/docs/` (its scripts and styles
         *     load from URLs relative to it, such as `./swagger-ui.css`, under `/docs/` too), so `/docs`
         *     without the slash answers 301 to it. The server routes both spellings as one path, and so does
         *     this contract: 200 answers `/docs/`, 301 answers `/docs`.
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the scenario catalog
         * @description Each scenario with its description, version and the JSON Schema of its params and overrides, produced from the definitions that validate requests.
         */
        get: operations["listScenarios"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A scenario file, or any name outside the catalog
         * @description Names not listed under their own path are unknown scenarios and answer 404, unless testapi models a
         *     target schema and the name is one of the scenario files of TESTAPI_SCENARIOS_DIR: then it provisions
         *     that file's graph (201). The live document (GET /openapi.json) lists each file under its own path
         *     with its params, overrides and result.
         */
        post: operations["provisionUnknownScenario"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A user with addresses */
        post: operations["provisionUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/user-with-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A user with orders, items, products, payments and shipments */
        post: operations["provisionUserWithOrders"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An organization with its owner and members */
        post: operations["provisionOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Products with unique SKUs */
        post: operations["provisionCatalog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scenarios/bulk-orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Load-test seeding through the bulk write path
         * @description Returns counts and a few sample ids, not the graph. At most MAX_CONCURRENT_BULK run at once across replicas (429 with Retry-After beyond).
         */
        post: operations["provisionBulkOrders"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The modelled tables and how each column is filled
         * @description Every table of the modelled schemas (TESTAPI_TARGET_SCHEMAS, or the shop's tables when unset) with its
         *     columns, keys, unique constraints and indexes (partial ones with their predicate), CHECKs, triggers,
         *     enum and domain values, and for each column the generator testapi uses and why. Tables testapi cannot
         *     provision say so in `reason`. Read at start-up and on POST /schema/reload.
         *
         *     On a large schema the whole model is megabytes: `format=summary` lists each table in one line
         *     (key, label, counts of columns and foreign keys, whether it is provisionable and why not), and
         *     `table=<key or label>` answers the full model of that one table only.
         */
        get: operations["getSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schema/reload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read the modelled schemas again (after a migration of the application) */
        post: operations["reloadSchema"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/graphs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Provision an ad hoc graph of rows in the modelled tables
         * @description A top-level key is a table (`schema.table` when the name is ambiguous); a node is
         *     `{count, as, set, connect}` plus child tables as keys. A child key is the child table when
         *     exactly one foreign key leads from it to the parent, otherwise `table.column` (e.g.
         *     `employee.reports_to`) or the foreign key's name. `set` fixes column values (an existing row is
         *     referenced by setting its key); `connect` points a foreign key at the rows of a node named with
         *     `as` (`{"connect": {"genre_id": {"ref": "rock"}}}`), spread over them in turn. A required parent
         *     the graph does not give is created under the same tag. Everything is written in one transaction;
         *     rows of tables without a `test_tag` column are recorded in testapi's row ledger in it, so
         *     DELETE /tags/{tag} finds them. Values are deterministic for a seed, body and `clock` (keys from
         *     sequences aside): each node and column draws from its own stream, and generated times are offsets
         *     from the clock (the answer's `clock`; two-column CHECKs such as `expires_at > created_at` hold).
         *
         *     400 names the path of each bad field (`graph.customer[0].invoice[0].set.total`): unknown tables,
         *     columns or aliases, a connect to another table's alias, a ref cycle, a set on a generated column,
         *     nesting deeper than 8, more rows than MAX_ROWS_PER_REQUEST (checked before any write), a foreign key
         *     `set` gives that names no row (the column and the key; nothing is written). 422
         *     `urn:testapi:problem:graph-rejected` when PostgreSQL refuses a value (a CHECK testapi cannot
         *     read, a trigger that raises), naming `table`, `column` and `constraint`; nothing is written and
         *     `set` is the way out (for a value `set` gave, change it). 409 when a value collides, with
         *     `collision`: `existing-row`, or `within-request` when `set` gives one value to every row of a
         *     node under a unique key. A unique key that `connect`, the parent and `set` alone decide and that
         *     two rows would share is a 400 naming the node, before anything is written. A constraint your schema
         *     declares DEFERRABLE INITIALLY DEFERRED is checked at COMMIT: a unique one failing there is a 409,
         *     any other a 422 `urn:testapi:problem:constraint-violation`, both naming `table` and `constraint`
         *     (the same holds for snapshot imports and scenario files); nothing is written.
         */
        post: operations["provisionGraph"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered tags, newest first */
        get: operations["listTags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}/dependents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        /**
         * Rows outside the tag that reference its rows, transitively
         * @description Per table, the rows your application (or anyone) wrote that reference the tag's rows, directly or
         *     through each other, with the key that references them: exactly what `DELETE /tags/{tag}?dependents=delete`
         *     would delete with the tag. `deletable: false` marks rows outside the target schemas, which testapi never
         *     deletes (they make that delete a 409). Totals count every row; `limit` rows per table are listed, in key
         *     order. Read only: nothing is locked or changed. Your schema's tables (the row ledger); the shop's tables
         *     answer none.
         */
        get: operations["getTagDependents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        /**
         * The tag's rows of one table as they are stored now
         * @description The tag's rows of `table` as PostgreSQL holds them now, in the format of a graph's `records`, in
         *     primary-key order, a page at a time. A row your application deleted is not listed; one it changed
         *     shows its values now; one it replaced under the same key is not the tag's any more and is left out,
         *     as cleanup would leave it. 400 names an unknown `table`, a bad `limit` or a cursor not given for
         *     this table; 404 an unregistered tag.
         */
        get: operations["getTagRows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        /** One tag, its row counts and optionally the ids it owns */
        get: operations["getTag"];
        put?: never;
        post?: never;
        /**
         * Delete every row the tag owns
         * @description Deletes every row carrying the tag (registered or not), its idempotency keys and its
         *     registration, in one transaction. An unknown or already deleted tag answers 200 with total 0,
         *     so teardown code can always call it. When rows of another tag reference this tag's rows,
         *     nothing is deleted: 409 problem `urn:testapi:problem:tag-referenced` with members `tag`,
         *     `table` (the referencing table), `referencingTag` and `referencedTable`. If rows of the tag
         *     remain after the delete (written without registering the tag), it rolls back: 500 problem
         *     `urn:testapi:problem:cleanup-incomplete` with `remaining` counts per tag. A tag too large to
         *     delete in one statement within STATEMENT_TIMEOUT_MS is deleted in committed batches first
         *     (children first; it stays registered until its last row is gone). While a provisioning or
         *     another delete holds the tag longer than LOCK_TIMEOUT_MS: 409 `urn:testapi:problem:in-progress`
         *     with `Retry-After`, nothing deleted.
         *
         *     Rows of tables without a `test_tag` column (your own schema's, written by POST /graphs) are
         *     found through testapi's row ledger and deleted children first. Rows outside the tag that
         *     reference them (whatever their ON DELETE: a CASCADE or SET NULL would change rows outside the
         *     tag) make it a 409 `tag-referenced` naming `table` and `constraint`, unless
         *     `dependents=delete`: then they are deleted too, transitively, and reported in `dependents`.
         *     That 409 lists every referencing constraint in `references` and says in `dependentsDeletable`
         *     whether the referencing rows it found all lie in the target schemas, so that asking again with
         *     `dependents=delete` would delete them (rows outside the target schemas are never deleted).
         */
        delete: operations["deleteTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        /**
         * The tag's rows as a snapshot file
         * @description A versioned document (`format: testapi.snapshot`, `formatVersion`, the model's fingerprint) with
         *     the tag's tables parents first, each with its columns, keys and its rows as stored (values as
         *     PostgreSQL prints them; no tag column). Read in one REPEATABLE READ, READ ONLY transaction and
         *     streamed through a cursor, so memory stays flat for any size. With `Accept: application/x-ndjson`
         *     the same content comes as lines: the header first, then one `{"table", "row"}` per row.
         *     POST /tags/{tag}/import recreates it under another tag.
         */
        get: operations["exportTag"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}/import": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recreate a snapshot under this tag
         * @description Writes the snapshot's rows under the tag in one transaction, with fresh primary keys (from the
         *     tables' sequences, never reused; other keys allocated as POST /graphs does) and every foreign key
         *     rewritten through the map of old to new keys. A key pointing at a row outside the snapshot keeps
         *     its value when that row exists in the database; otherwise 422 `snapshot-reference-missing`.
         *     Unique values are re-salted and the changed ones come back in `uniqueValues`
         *     (`table.column` → old → new), unless `keepUniqueValues` is true: then a collision is a 409 naming
         *     `table` and `column`. The body (JSON or NDJSON, optionally gzip/deflate/br) is read as a stream
         *     up to MAX_IMPORT_BYTES, not the JSON limit. A snapshot of an older model imports when the
         *     difference is additive (a new table, a new nullable or defaulted column); otherwise 422
         *     `snapshot-incompatible` naming `table` and `column`. A `formatVersion` this testapi cannot read is
         *     a 422 `unsupported-snapshot-version`.
         */
        post: operations["importSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sources/{source}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A name from TESTAPI_SOURCES. */
                source: string;
            };
            cookie?: never;
        };
        /**
         * What a copy from this source does with every column, and why
         * @description Every column of every modelled table with the rule a copy from this source applies (`keep`, `fake`,
         *     `mask`, `null`), the kind a fake is drawn as, whether `root.where` and `ids` may filter on it, and why:
         *     the column's role, name or type, or the source's entry in TESTAPI_SOURCE_RULES. 404 for a name
         *     TESTAPI_SOURCES does not have.
         */
        get: operations["getSourceRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tag}/copies": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Copy a sanitized sample of a source database under this tag
         * @description Reads a named source (`TESTAPI_SOURCES=staging=postgres://...`; a request names a source, never a
         *     URL) in one READ ONLY, REPEATABLE READ transaction with SOURCE_STATEMENT_TIMEOUT_MS per statement:
         *     the root rows (`sample` rows chosen by the seed, or `ids`, filtered by `where`), their children to
         *     the depth `children`, and every row those reference, transitively, so every foreign key of the copy
         *     points inside it. Deny by default: a column is copied as is only when it names no one (keys and
         *     foreign keys, which are remapped to fresh keys; numbers, booleans, enums, dates and times that are
         *     not birth dates) or when the source's rules (TESTAPI_SOURCE_RULES) say `keep`. Every text-like value
         *     (text, varchar, char, citext, arrays of them, json and jsonb, composites) is replaced by a fake, or
         *     masked where the rules say `mask` (emails, phone numbers, the copy's own person names, card and bank
         *     numbers, identifiers, dates and key-like tokens in it are replaced); column names decide before
         *     types and defaults, and secrets (`password*`, `*_digest`, `*token*`, `*secret*`, `api_key`) are
         *     always replaced. GET /sources/{source}/rules shows the rule of every column and why. Fakes are keyed
         *     pseudonyms: HMAC-SHA256 with the service's secret (TESTAPI_COPY_SECRET, or one generated once and
         *     kept in testapi's own schema) of the seed, the kind and the original, so one person maps to one fake
         *     in every table and in every copy with the same seed, and a caller who guesses an original cannot
         *     confirm it. The rows are written under the tag with fresh keys in one transaction, unique values
         *     re-salted, as POST /tags/{tag}/import does.
         *
         *     `where` maps a column to a value (`=`), `null` (IS NULL), an array (IN) or an object of operators
         *     (`eq`, `ne`, `lt`, `lte`, `gt`, `gte`, `in`, `isNull`); values are bound, never SQL text. `where` and
         *     `ids` may name only columns the copy keeps (`filterable` in GET /sources/{source}/rules): a filter on
         *     a replaced column would turn the copy's counts into an oracle of its values. Values are checked
         *     against the column's type (whole numbers in range, finite numbers, true/false, ISO 8601 dates, enum
         *     labels, uuids). 400 names an unknown source, table, column or operator, a filter on a replaced
         *     column, a value of the wrong type, and a copy above MAX_ROWS_PER_REQUEST rows; 503 when the source
         *     cannot be reached; 422 `source-schema-differs` when it lacks a modelled column, and
         *     `copy-column-unwritable` when a NOT NULL column can be neither faked nor emptied (nothing is read).
         */
        post: operations["copyFromSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cleanup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset an environment by filter
         * @description Filters `expired`, `olderThanSeconds` and `prefix` combine (all must hold);
         *     `all` stands alone. Only registered tags are selected: rows of unregistered
         *     tags and untagged rows are never touched. An empty body is a 400. Every selected tag
         *     that can go goes, in one transaction, each behind a savepoint: one stuck tag never blocks
         *     the others. A tag whose rows are referenced by rows outside the selection (another tag's,
         *     or your application's own rows unless `dependents` is `delete`) stays and is listed in
         *     `kept` with every reference (table, constraint, referenced table, rows, referencing tag).
         *     The answer is 200 either way, naming each removed tag in `removed` and each kept one in
         *     `kept`: a cleanup that keeps some tags did its job for the others, and the caller reads
         *     `kept` to see what is left.
         */
        post: operations["cleanup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pact/mappings/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["parameters"]["PactMappingName"];
            };
            cookie?: never;
        };
        /** One Pact provider-state mapping */
        get: operations["getPactMapping"];
        /**
         * Create or replace a Pact provider-state mapping
         * @description Maps each provider state name of a pact to a scenario (or to `null` for a state that needs no
         *     data) or to a graph of the modelled tables, which params come from the state's params (with
         *     defaults) or are fixed, and which values of the result the state change answers (`inject`, paths
         *     such as `orders[0].id`, or `customer[0].customer_id` for a graph). Checked when stored: the scenario
         *     exists, fixed params and defaults pass its params validation, inject paths exist in its result (the
         *     result schema of a built-in scenario, the `result` of a scenario file); a graph passes the graph
         *     engine's own checks against the current model and its inject paths name its aliases or tables and
         *     their columns. A 400 names each offending path, e.g. `states["a user with orders"].inject.orderId`.
         *     Stored in PostgreSQL, so every replica serves it.
         */
        put: operations["putPactMapping"];
        post?: never;
        /**
         * Delete a Pact provider-state mapping
         * @description The tags its states provisioned stay until their TTL or a cleanup (`POST /cleanup` with `prefix` `pact.<name>.`).
         */
        delete: operations["deletePactMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pact/provider-states": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The provider-state change URL for a Pact verifier
         * @description Give this URL, with `mapping` and `session` in its query, to the verifier as its provider-state
         *     change URL (`providerStatesSetupUrl` in pact-js, `--state-change-url` for `pact verifier`).
         *     Body mode sends `{"state", "params", "action"}`; query mode (`--state-change-as-query`) sends an
         *     empty body and `state`, `action` and each param in the query (non-string params as JSON text).
         *
         *     - **setup**: the state and its params choose the tag `pact.<mapping>.<session>.<hash>`; in one
         *       transaction its rows are deleted and the state's scenario is provisioned into it (a repeated or
         *       retried setup replaces the graph). The answer is a flat object of the mapping's inject values,
         *       which the verifier injects into the request (`fromProviderState`); the tag is in `X-Testapi-Tag`.
         *     - **teardown**: deletes the tag; `{}` even when there is nothing to delete.
         *     - `"state": ""` (an interaction without a state) answers `{}`.
         *
         *     Unknown mappings and unknown states (with `unknownStates: reject`) are 422, which verifiers never
         *     retry; invalid params 400; the bulk limit 429 with `Retry-After`; a database outage 503. Tags whose
         *     teardown never came expire after the mapping's `ttlSeconds`. Since the verifier sends the
         *     provider's own `Authorization` here too, send testapi's key as `X-Testapi-Key` (a custom header of
         *     the verifier).
         */
        post: operations["changePactProviderState"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Status: {
            status: string;
        };
        /**
         * @example {
         *       "type": "urn:testapi:problem:validation",
         *       "title": "Invalid request",
         *       "status": 400,
         *       "detail": "The request is invalid: see errors[] for each offending field.",
         *       "instance": "/scenarios/user-with-orders",
         *       "requestId": "3f1c9f0e-52a4-4d0b-9d8e-0c2b5d2f8a11",
         *       "errors": [
         *         {
         *           "path": "params.orders",
         *           "message": "params.orders must not be greater than 100"
         *         }
         *       ]
         *     }
         */
        Problem: {
            /** @description A URI reference naming the problem type. */
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description The request path. */
            instance?: string;
            /** @description The X-Request-Id of the request. */
            requestId?: string;
            /** @description One entry per offending field, at most 20; `errorsOmitted` counts the rest. */
            errors?: components["schemas"]["FieldError"][];
            /** @description Offending fields beyond the 20 listed in `errors`. */
            errorsOmitted?: number;
        } & {
            [key: string]: unknown;
        };
        FieldError: {
            /** @description Dotted path of the offending field. */
            path: string;
            message: string;
        };
        /** @example checkout-suite-7 */
        Tag: string;
        Seed: number;
        TtlSeconds: number;
        /** Format: uuid */
        Uuid: string;
        /** Format: date-time */
        Timestamp: string;
        /**
         * Format: email
         * @description Only reserved domains are accepted (example.com, example.net, example.org, *.test, *.example, *.invalid).
         */
        Email: string;
        /** @description Rows per table; keys are table names. */
        TableCounts: {
            organizations: number;
            users: number;
            memberships: number;
            addresses: number;
            products: number;
            orders: number;
            order_items: number;
            payments: number;
            shipments: number;
        };
        ProvisionResultBase: {
            tag: components["schemas"]["Tag"];
            scenario: string;
            /** @description Bumped whenever the recipe's output for a seed changes. */
            scenarioVersion: number;
            seed: components["schemas"]["Seed"];
            expiresAt: components["schemas"]["Timestamp"];
            counts: components["schemas"]["TableCounts"];
        };
        User: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            email: components["schemas"]["Email"];
            firstName: string;
            lastName: string;
            phone: string | null;
            /** @enum {string} */
            role: "customer" | "admin" | "support";
            /** @enum {string} */
            status: "active" | "suspended" | "unverified";
            createdAt: components["schemas"]["Timestamp"];
        };
        Address: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            userId: components["schemas"]["Uuid"];
            line1: string;
            city: string;
            postalCode: string;
            countryCode: string;
            createdAt: components["schemas"]["Timestamp"];
        };
        Product: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            sku: string;
            name: string;
            category: string;
            priceCents: number;
            stock: number;
            createdAt: components["schemas"]["Timestamp"];
        };
        OrderItem: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            orderId: components["schemas"]["Uuid"];
            productId: components["schemas"]["Uuid"];
            quantity: number;
            unitPriceCents: number;
        };
        Payment: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            orderId: components["schemas"]["Uuid"];
            /** @enum {string} */
            status: "authorized" | "captured" | "refunded" | "failed" | "voided";
            /** @enum {string} */
            method: "card" | "bank_transfer" | "wallet";
            amountCents: number;
            /** @description Last four digits of a documented test card. */
            cardLast4: string | null;
            createdAt: components["schemas"]["Timestamp"];
        };
        Shipment: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            orderId: components["schemas"]["Uuid"];
            carrier: string;
            trackingNumber: string;
            /** @enum {string} */
            status: "label_created" | "in_transit" | "delivered";
            shippedAt: components["schemas"]["Timestamp"];
            deliveredAt: components["schemas"]["Timestamp"] | null;
            createdAt: components["schemas"]["Timestamp"];
        };
        /** @description `totalCents` is the sum of quantity × unitPriceCents over `items`, whose products belong to the same tag. */
        Order: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            userId: components["schemas"]["Uuid"];
            number: string;
            /** @enum {string} */
            status: "pending" | "paid" | "shipped" | "delivered" | "cancelled" | "refunded";
            totalCents: number;
            currency: string;
            placedAt: components["schemas"]["Timestamp"];
            createdAt: components["schemas"]["Timestamp"];
            items: components["schemas"]["OrderItem"][];
            /** @description Exactly one per order, of the order total: `authorized` (pending), `captured` (paid, shipped, delivered), `voided` (cancelled), `refunded` (refunded). */
            payment: components["schemas"]["Payment"];
            /** @description Only for shipped (`in_transit`) and delivered (`delivered`, with `deliveredAt`) orders. */
            shipment?: components["schemas"]["Shipment"];
        };
        Organization: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            name: string;
            slug: string;
            domain: string;
            createdAt: components["schemas"]["Timestamp"];
        };
        Membership: {
            id: components["schemas"]["Uuid"];
            testTag: components["schemas"]["Tag"];
            organizationId: components["schemas"]["Uuid"];
            userId: components["schemas"]["Uuid"];
            /** @enum {string} */
            role: "owner" | "admin" | "member" | "viewer";
            createdAt: components["schemas"]["Timestamp"];
        };
        OrganizationMember: {
            user: components["schemas"]["User"];
            membership: components["schemas"]["Membership"];
        };
        UserScenarioParams: {
            /**
             * @default customer
             * @enum {string}
             */
            role?: "customer" | "admin" | "support";
            /**
             * @default active
             * @enum {string}
             */
            status?: "active" | "suspended" | "unverified";
            /** @default 1 */
            addresses?: number;
        };
        UserOverrides: {
            email?: components["schemas"]["Email"];
            firstName?: string;
            lastName?: string;
            phone?: string;
        };
        UserScenarioOverrides: {
            user?: components["schemas"]["UserOverrides"];
        };
        UserWithOrdersScenarioParams: {
            /** @default 3 */
            orders?: number;
            /** @default 2 */
            itemsPerOrder?: number;
            /**
             * @description Status of every order. Nothing is captured for pending (payment `authorized`) and cancelled (payment `voided`) orders; paid, shipped and delivered ones have a `captured` payment of the total; refunded a `refunded` one; shipped and delivered also a shipment with a tracking number.
             * @default paid
             * @enum {string}
             */
            status?: "pending" | "paid" | "shipped" | "delivered" | "cancelled" | "refunded";
        };
        UserWithOrdersScenarioOverrides: {
            user?: components["schemas"]["UserOverrides"];
        };
        OrganizationScenarioParams: {
            /** @default 5 */
            members?: number;
        };
        OrganizationOverrides: {
            name?: string;
            slug?: string;
            /** @description Must be a reserved domain (example.com, example.net, example.org, *.test, *.example, *.invalid); members' e-mail addresses are generated on it. */
            domain?: string;
        };
        OrganizationScenarioOverrides: {
            organization?: components["schemas"]["OrganizationOverrides"];
            owner?: components["schemas"]["UserOverrides"];
        };
        CatalogScenarioParams: {
            /** @default 20 */
            products?: number;
        };
        ProductOverrides: {
            category?: string;
            priceCents?: number;
            stock?: number;
        };
        /** @description Applied to every product of the catalog. */
        CatalogScenarioOverrides: {
            product?: components["schemas"]["ProductOverrides"];
        };
        /**
         * @description Orders get a mix of statuses (delivered, shipped, paid, pending, cancelled, refunded) with the
         *     payments and shipments each implies. The request is refused (400 naming `params`) when its upper
         *     bound of rows, products + users × (1 + ordersPerUser × (itemsPerOrder + 3)), exceeds MAX_ROWS_PER_REQUEST.
         */
        BulkOrdersScenarioParams: {
            /** @default 100 */
            users?: number;
            /** @default 5 */
            ordersPerUser?: number;
            /** @default 3 */
            itemsPerOrder?: number;
            /** @default 50 */
            products?: number;
        };
        BulkOrdersScenarioOverrides: Record<string, never>;
        UserScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: components["schemas"]["UserScenarioParams"];
            overrides?: components["schemas"]["UserScenarioOverrides"];
        };
        UserWithOrdersScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: components["schemas"]["UserWithOrdersScenarioParams"];
            overrides?: components["schemas"]["UserWithOrdersScenarioOverrides"];
        };
        OrganizationScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: components["schemas"]["OrganizationScenarioParams"];
            overrides?: components["schemas"]["OrganizationScenarioOverrides"];
        };
        CatalogScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: components["schemas"]["CatalogScenarioParams"];
            overrides?: components["schemas"]["CatalogScenarioOverrides"];
        };
        BulkOrdersScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: components["schemas"]["BulkOrdersScenarioParams"];
            overrides?: components["schemas"]["BulkOrdersScenarioOverrides"];
        };
        UserScenarioResult: components["schemas"]["ProvisionResultBase"] & {
            /** @constant */
            scenario: "user";
            data: {
                user: components["schemas"]["User"];
                addresses: components["schemas"]["Address"][];
            };
        };
        UserWithOrdersScenarioResult: components["schemas"]["ProvisionResultBase"] & {
            /** @constant */
            scenario: "user-with-orders";
            data: {
                user: components["schemas"]["User"];
                products: components["schemas"]["Product"][];
                orders: components["schemas"]["Order"][];
            };
        };
        OrganizationScenarioResult: components["schemas"]["ProvisionResultBase"] & {
            /** @constant */
            scenario: "organization";
            data: {
                organization: components["schemas"]["Organization"];
                owner: components["schemas"]["OrganizationMember"];
                members: components["schemas"]["OrganizationMember"][];
            };
        };
        CatalogScenarioResult: components["schemas"]["ProvisionResultBase"] & {
            /** @constant */
            scenario: "catalog";
            data: {
                products: components["schemas"]["Product"][];
            };
        };
        BulkOrdersScenarioResult: components["schemas"]["ProvisionResultBase"] & {
            /** @constant */
            scenario: "bulk-orders";
            data: {
                /** @description A few ids per table, not the graph. */
                sample: {
                    userIds: components["schemas"]["Uuid"][];
                    orderIds: components["schemas"]["Uuid"][];
                    productIds: components["schemas"]["Uuid"][];
                };
            };
        };
        /** @description The envelope of every scenario; `params` by the file's schema, `overrides` as alias (`as`) to column values. */
        FileScenarioRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            params?: Record<string, never>;
            overrides?: {
                [key: string]: Record<string, never>;
            };
        };
        FileScenarioResult: {
            tag: components["schemas"]["Tag"];
            scenario: string;
            scenarioVersion: number;
            seed: components["schemas"]["Seed"];
            expiresAt: components["schemas"]["Timestamp"];
            counts: components["schemas"]["RowCounts"];
            /** @description What the file's `result` names (rows, one row or one value), else every created row per table. */
            data: Record<string, never>;
            /** @description Every created row as stored, per table, in the format of GraphResult's records. */
            records: {
                [key: string]: Record<string, never>[];
            };
        };
        ScenarioInfo: {
            name: string;
            description: string;
            version: number;
            /** @description JSON Schema of `params`. */
            paramsSchema: Record<string, never>;
            /** @description JSON Schema of `overrides`. */
            overridesSchema: Record<string, never>;
        };
        ScenarioList: {
            scenarios: components["schemas"]["ScenarioInfo"][];
        };
        TagSummary: {
            tag: components["schemas"]["Tag"];
            createdAt: components["schemas"]["Timestamp"];
            expiresAt: components["schemas"]["Timestamp"];
            labels: {
                [key: string]: string;
            };
            /** @description Rows per table; the shop's nine tables, or your schema's tables the tag has rows in (TESTAPI_TARGET_SCHEMAS). */
            counts: components["schemas"]["TableCounts"] | components["schemas"]["RowCounts"];
            total: number;
        };
        TagList: {
            tags: components["schemas"]["TagSummary"][];
            nextCursor: string | null;
        };
        /** @description Ids owned per table (at most 1,000 per table per page). */
        TagIds: {
            organizations?: components["schemas"]["Uuid"][];
            users?: components["schemas"]["Uuid"][];
            memberships?: components["schemas"]["Uuid"][];
            addresses?: components["schemas"]["Uuid"][];
            products?: components["schemas"]["Uuid"][];
            orders?: components["schemas"]["Uuid"][];
            order_items?: components["schemas"]["Uuid"][];
            payments?: components["schemas"]["Uuid"][];
            shipments?: components["schemas"]["Uuid"][];
        };
        /**
         * @description The tag's TagSummary fields, plus `ids` and `nextCursor` when `include=ids`.
         *     (Spelled out rather than `allOf: [TagSummary]`: TagSummary is closed, so
         *     it would reject `ids`.)
         */
        TagDetail: {
            tag: components["schemas"]["Tag"];
            createdAt: components["schemas"]["Timestamp"];
            expiresAt: components["schemas"]["Timestamp"];
            labels: {
                [key: string]: string;
            };
            /**
             * @description Rows per table as they are now; the shop's nine tables, or your schema's tables the tag has
             *     rows in (TESTAPI_TARGET_SCHEMAS). Your schema's rows are checked one by one against the row
             *     ledger as DELETE would check them (`countsAre: live`), so a row the application deleted is not
             *     counted; past 10,000 such rows the counts are those recorded at provisioning (`countsAre:
             *     recorded`). GET /tags always lists the recorded counts.
             */
            counts: components["schemas"]["TableCounts"] | components["schemas"]["RowCounts"];
            total: number;
            /**
             * @description Present when the tag has rows in tables without a test_tag column (the row ledger's): whether their counts were checked now or are as recorded.
             * @enum {string}
             */
            countsAre?: "live" | "recorded";
            /** @description Present when some: rows the tag created in your schema's tables that are no longer the tag's (deleted, re-keyed or replaced by someone else's under the key), per table. DELETE leaves them alone and reports them too. */
            missing?: components["schemas"]["RowCounts"];
            ids?: components["schemas"]["TagIds"] | {
                [key: string]: string[];
            };
            /** @description Pass as `cursor` (with `include=ids`) for the next ids; only tables with more ids continue, the others answer `[]`. Null when every table is exhausted. */
            nextCursor?: string | null;
            /** @description Past `expiresAt`. The sweeper deletes an expired tag at its next pass unless rows outside it reference its rows; then `kept` says which. */
            expired: boolean;
            /** @description Present while the sweeper keeps this expired tag (until a request extends it, or the references go and the next pass deletes it). */
            kept?: {
                at: components["schemas"]["Timestamp"];
                /** @description Every foreign key through which rows outside the tag referenced its rows when the sweeper last tried. */
                references: components["schemas"]["TagReference"][];
            };
        };
        /** @description Rows outside a tag that reference its rows through one foreign key. */
        TagReference: {
            /** @description The table holding the referencing rows. */
            table: string;
            /** @description The foreign key. */
            constraint: string;
            /** @description The tag's table they reference. */
            referencedTable: string;
            /** @description How many referencing rows. */
            rows: number;
            /** @description The referencing rows' tag (the shop's tables), or null for rows of no tag (your application's own). */
            referencingTag: string | null;
        };
        /** @description A selected tag left in place, with every reference that keeps it. */
        KeptTag: {
            tag: components["schemas"]["Tag"];
            references: components["schemas"]["TagReference"][];
        };
        SchemaModel: {
            /**
             * @description `target` when TESTAPI_TARGET_SCHEMAS is set.
             * @enum {string}
             */
            mode: "shop" | "target";
            schemas: string[];
            loadedAt: components["schemas"]["Timestamp"];
            tables: components["schemas"]["SchemaTable"][];
        };
        /** @description GET /schema?format=summary. */
        SchemaSummary: {
            /** @enum {string} */
            mode: "shop" | "target";
            schemas: string[];
            loadedAt: components["schemas"]["Timestamp"];
            /** @constant */
            format: "summary";
            tables: {
                key: string;
                label: string;
                /** @description How many columns. */
                columns: number;
                /** @description How many foreign keys it has. */
                foreignKeys: number;
                provisionable: boolean;
                reason: string | null;
            }[];
        };
        SchemaTable: {
            schema: string;
            name: string;
            /** @description `schema.table`. */
            key: string;
            /** @description The name requests and counts use; `schema.table` only when the name is ambiguous. */
            label: string;
            columns: components["schemas"]["SchemaColumn"][];
            primaryKey: string[];
            foreignKeys: {
                name: string;
                columns: string[];
                /** @description Key (`schema.table`) of the referenced table. */
                references: string;
                referencedColumns: string[];
                /** @enum {string} */
                onDelete: "NO ACTION" | "RESTRICT" | "CASCADE" | "SET NULL" | "SET DEFAULT";
            }[];
            uniques: {
                name: string;
                columns: string[];
                /** @description The WHERE of a partial unique index. */
                predicate: string | null;
                /** @enum {string} */
                kind: "constraint" | "index";
            }[];
            checks: {
                name: string;
                definition: string;
                columns: string[];
            }[];
            /**
             * @description The application's triggers on the table. A known limit: what a trigger writes elsewhere when
             *     testapi inserts or deletes (an AFTER INSERT trigger updating a counter row) is the
             *     application's write, not a row of the tag, so cleanup neither records nor undoes it. A table
             *     listing triggers here may change rows outside the tag when provisioned.
             */
            triggers: {
                name: string;
                definition: string;
            }[];
            partitioned: boolean;
            /** @description Rows carry a test_tag column and are found by it; other tables' rows are recorded in testapi's row ledger. */
            hasTestTag: boolean;
            provisionable: boolean;
            /** @description Why the table cannot be provisioned (e.g. no primary key). */
            reason: string | null;
        };
        SchemaColumn: {
            name: string;
            /** @description As PostgreSQL prints it. */
            type: string;
            /** @description The type under a domain or an array. */
            baseType: string;
            isArray: boolean;
            nullable: boolean;
            default: string | null;
            /** @enum {string|null} */
            identity: "always" | "by default" | null;
            /** @description A stored generated column. */
            generated: boolean;
            /** @description The sequence its default draws from (serial). */
            sequence: string | null;
            length: number | null;
            precision: number | null;
            scale: number | null;
            enumName: string | null;
            enumValues: string[] | null;
            domainName: string | null;
            /** @description Values an IN-list CHECK (of the table or the domain) allows. */
            allowed: string[] | null;
            min: number | null;
            max: number | null;
            /** @description Generated values are salted per request (and re-salted on snapshot import). */
            unique: boolean;
            /**
             * @description Why the column is unique. `constraint`: a unique constraint or index. `declaration`: named in TESTAPI_UNIQUE. `inference`: an e-mail, username (login, handle) or slug column, which applications keep unique in code (TESTAPI_NOT_UNIQUE opts it out). Null when not unique.
             * @enum {string|null}
             */
            uniqueBy: "constraint" | "declaration" | "inference" | null;
            /** @description What a sanitized copy does with the column before any source's own rules (GET /sources/{source}/rules shows those). */
            anonymize?: {
                rule: components["schemas"]["CopyRule"];
                /**
                 * @example fake: an email address (email: column name, whatever the type or default)
                 * @example keep: a number (numeric(10,2))
                 */
                reason: string;
            };
            generator: {
                kind: string;
                /**
                 * @example email: column name
                 * @example enum: mpaa_rating
                 * @example default: nextval('film_film_id_seq')
                 * @example skipped: generated column
                 */
                reason: string;
            };
        };
        /** @description `count` rows (per row of the parent node), plus child tables as keys, each an array of nodes. */
        GraphNode: {
            /** @default 1 */
            count?: number;
            /** @description An alias other nodes `connect` to. */
            as?: string;
            /**
             * @description Column values, validated against the column's type, length, enum, domain and simple CHECKs. A value is one
             *     constant for every row, or per row: `{"template": "user-{n}@example.org"}` (`{n}`: the row number within the
             *     node from 1; `{salt}`: the request's salt), `{"oneOf": ["todo", "done"]}` (in turn), `{"weights": {"todo": 3,
             *     "done": 1}}` (drawn from the seed), `{"bcrypt": "testpass123"}` (a bcrypt hash of it, `cost` 4 to 12, default
             *     10, salted from the seed). Each value is checked like a constant; on a json column an object is the value itself.
             */
            set?: {
                [key: string]: unknown;
            };
            /**
             * @description Foreign key (column or constraint name) to `{"ref": "<alias>"}`, or to the application's existing rows:
             *     `{"existing": {"where": {"tier": "pro"}}}` (equality on the parent's columns; spread over the matches in key
             *     order, at most 1,000; rows testapi created are not counted; none is a 400). Existing rows are never changed,
             *     recorded or deleted.
             */
            connect?: {
                [key: string]: components["schemas"]["ConnectTarget"];
            };
            nullableKeys?: components["schemas"]["NullableKeys"];
            parents?: components["schemas"]["Parents"];
        } & {
            [key: string]: unknown;
        };
        /** @description An alias (`{"ref": "<alias>"}`) or existing rows (`{"existing": {"where": {...}}}`). */
        ConnectTarget: {
            ref: string;
        } | {
            existing: {
                where?: {
                    [key: string]: string | number | boolean;
                };
            };
        };
        /** @description A set value per row: a template ({n} the row number from 1, {salt} the request salt), values in turn, weights from the seed, or a bcrypt hash of a password. */
        PerRowValue: {
            template: string;
        } | {
            oneOf: unknown[];
        } | {
            weights: {
                [key: string]: number;
            };
        } | {
            bcrypt: string;
            cost?: number;
        };
        /**
         * @description How required parents nobody gave are made: `per-row` (the default: one parent per row), `shared` (one
         *     parent for all rows of the node: three tasks, one reporter), `existing` (the application's existing rows
         *     of that table, spread in key order; none is a 400). One mode for every parent table, or an object of
         *     table to mode (`{"plans": "existing"}`). A node's choice holds for its children.
         */
        Parents: ("per-row" | "shared" | "existing") | {
            [key: string]: "per-row" | "shared" | "existing";
        };
        /**
         * @description What a nullable foreign key nobody gave (no parent node, connect or set) gets. `owners` (the default):
         *     a parent created under the tag for keys whose column names the row's owner (`userId`, `author_id`,
         *     `owner_id`, `created_by`, `account_id`...), NULL for the rest; `create`: a parent for every one;
         *     `existing`: an existing row of the parent table (NULL when it has none); `null`: NULL for all. A node's choice holds for its children; GET /schema says it per column.
         * @enum {string}
         */
        NullableKeys: "owners" | "create" | "existing" | "null";
        TagDependents: {
            tag: components["schemas"]["Tag"];
            /** @description Table label to its dependent rows. */
            dependents: {
                [key: string]: {
                    total: number;
                    /** @description In the target schemas: dependents=delete deletes them. */
                    deletable: boolean;
                    rows: {
                        /** @description Primary key column to its value as text (ctid for a table without one). */
                        key: {
                            [key: string]: string;
                        };
                        /** @description The foreign key through which the row was found. */
                        constraint: string;
                        referencedTable: string;
                    }[];
                };
            };
        };
        TagRows: {
            tag: components["schemas"]["Tag"];
            /** @description The table as GET /schema labels it. */
            table: string;
            /** @description The rows, every column under its own name, in the format of a graph's records. */
            rows: {
                [key: string]: unknown;
            }[];
            /** @description Pass back as `cursor` for the next page; null on the last. */
            nextCursor: string | null;
        };
        GraphRequest: {
            tag?: components["schemas"]["Tag"];
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            /**
             * Format: date-time
             * @description The time generated times are placed by (default: the request's time, in whole seconds). Created-like
             *     columns fall within 15 minutes before it, other `*_at` columns between a row's created time and it,
             *     expiry and due dates after it. Same seed, body and clock: the same values.
             * @example 2025-01-01T00:00:00Z
             */
            clock?: string;
            nullableKeys?: components["schemas"]["NullableKeys"];
            parents?: components["schemas"]["Parents"];
            /** @description Table name to an array of nodes. */
            graph: {
                [key: string]: components["schemas"]["GraphNode"][];
            };
        };
        /** @description Rows per table; keys are table names (`schema.table` when ambiguous). */
        RowCounts: {
            [key: string]: number;
        };
        GraphResult: {
            tag: components["schemas"]["Tag"];
            seed: components["schemas"]["Seed"];
            /**
             * Format: date-time
             * @description The clock generated times were placed by: send it as `clock` to repeat them.
             */
            clock: string;
            expiresAt: components["schemas"]["Timestamp"];
            counts: components["schemas"]["RowCounts"];
            /**
             * @description Every created row as stored (keys and defaults included), per table, in one format whichever
             *     way the graph was written: int2, int4, float4, float8, boolean and json values as JSON, except a
             *     float's NaN, Infinity and -Infinity, which JSON has no number for: those as PostgreSQL's text; int8,
             *     numeric and money as PostgreSQL's text (exact: no digit lost to a JSON number); timestamptz as
             *     ISO-8601 in UTC with microseconds and `Z` (`2026-03-01T12:34:56.123456Z`), timestamp the same
             *     without `Z`, date as `YYYY-MM-DD`; bytea as `\x` hex text; every other type (uuid, enums,
             *     intervals...) as text; arrays as JSON arrays of those, their elements as text unless JSON
             *     keeps them exact.
             */
            records: {
                [key: string]: Record<string, never>[];
            };
            /** @description Each `as` name to the primary keys of its rows (key column to value, in the format of records). */
            aliases: {
                [key: string]: {
                    [key: string]: string | number | boolean;
                }[];
            };
        };
        DeleteTagResult: {
            tag: components["schemas"]["Tag"];
            /** @description Rows per table; the shop's nine tables always, or your schema's tables the tag had rows in. */
            deleted: components["schemas"]["TableCounts"] | components["schemas"]["RowCounts"];
            dependents?: components["schemas"]["RowCounts"];
            /**
             * @description Present when some: rows the tag created in your schema's tables that are no longer the tag's,
             *     per table, left in place. A row is the tag's while no later tag holds its key and it is the row
             *     version written at provisioning or one whose values are still mostly as created (the
             *     application updated it); a row deleted, re-keyed, or replaced by someone else's under the same
             *     key is missing.
             */
            missing?: components["schemas"]["RowCounts"];
            /** @description Rows deleted, dependents included. */
            total: number;
        };
        CleanupRequest: {
            /** @constant */
            all: true;
            /**
             * @description Also delete rows outside the tags that reference their rows.
             * @constant
             */
            dependents?: "delete";
        } | {
            /** @constant */
            expired?: true;
            /** @description At least 1: selecting every tag is {"all": true}. */
            olderThanSeconds?: number;
            prefix?: string;
            /**
             * @description Also delete rows outside the tags that reference their rows.
             * @constant
             */
            dependents?: "delete";
        };
        CleanupResult: {
            /** @description The tags removed. */
            tags: components["schemas"]["Tag"][];
            /** @description Rows deleted per table, all removed tags together. */
            deleted: components["schemas"]["TableCounts"] | components["schemas"]["RowCounts"];
            dependents?: components["schemas"]["RowCounts"];
            total: number;
            /** @description Each removed tag and what it took, in the order they went. */
            removed: {
                tag: components["schemas"]["Tag"];
                deleted: components["schemas"]["TableCounts"] | components["schemas"]["RowCounts"];
                dependents?: components["schemas"]["RowCounts"];
                total: number;
            }[];
            /** @description Each selected tag left in place because rows outside the selection reference its rows, with every reference (empty when every selected tag went). */
            kept: components["schemas"]["KeptTag"][];
        };
        /** @description A scenario param taken from the provider state's params by name, with a default when the state does not give it. */
        PactParamRef: {
            param: string;
            default?: unknown;
        };
        /**
         * @description Exactly one of `scenario` and `graph`. A scenario is a built-in recipe in the shop mode, a scenario
         *     file (TESTAPI_SCENARIOS_DIR) with a target schema. A graph is provisioned by the graph engine as
         *     POST /graphs would, in either mode; its strings may use the scenario-file templates
         *     (`{{params.orders}}`, `{{date.daysAgo(30)}}`, `{{faker.person.lastName}}`).
         */
        PactState: {
            /** @description A scenario name, or null for a state that needs no data (setup only empties its tag). */
            scenario?: string | null;
            /** @description A POST /graphs `graph`: table name to an array of nodes (GraphNode), checked against the model when stored. */
            graph?: {
                [key: string]: {
                    [key: string]: unknown;
                }[];
            };
            /**
             * @description Scenario (or graph template) param name → a fixed value, or a PactParamRef (`{"param": "orders", "default": 1}`).
             *     In a graph mapping a PactParamRef needs a default: its type is the param's type.
             */
            params?: {
                [key: string]: components["schemas"]["PactParamRef"] | unknown;
            };
            /**
             * @description Provider-state value name → path. For a scenario, into its `data` (`user.id`, `orders[0].id`); for a
             *     graph, into the rows it creates: an alias or table, then `[index]` and `.column`
             *     (`customer[0].customer_id`, `buyer[0].email`).
             */
            inject?: {
                [key: string]: string;
            };
        };
        PactMappingRequest: {
            /** @description Lifetime of each state's tag, the safety net when teardown never comes. Default DEFAULT_TAG_TTL_SECONDS. */
            ttlSeconds?: components["schemas"]["TtlSeconds"];
            /**
             * @description `reject`: a state not listed here is a 422 (the verification fails); `ignore`: it answers `{}`.
             * @default reject
             * @enum {string}
             */
            unknownStates?: "reject" | "ignore";
            states: {
                [key: string]: components["schemas"]["PactState"];
            };
        };
        PactMapping: {
            name: string;
            ttlSeconds: components["schemas"]["TtlSeconds"];
            /** @enum {string} */
            unknownStates: "reject" | "ignore";
            states: {
                [key: string]: components["schemas"]["PactState"];
            };
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /** @description Body mode. Query mode sends an empty body instead. */
        PactStateChange: {
            /** @description "" for an interaction without a provider state. */
            state?: string;
            params?: {
                [key: string]: unknown;
            };
            /**
             * @default setup
             * @enum {string}
             */
            action?: "setup" | "teardown";
        };
        /** @description The mapping's inject values for the state, top-level keys only (what `fromProviderState` expressions read). */
        PactStateValues: {
            [key: string]: unknown;
        };
        SnapshotTable: {
            /** @description `schema.table`. */
            table: string;
            columns: {
                name: string;
                type: string;
                nullable?: boolean;
            }[];
            primaryKey: string[];
            foreignKeys?: {
                name?: string;
                columns?: string[];
                references?: string;
                referencedColumns?: string[];
            }[];
            /** @description Rows of this table in the snapshot (checked on import). */
            rows?: number;
            /** @description The rows as stored, tag column left out. */
            data?: {
                [key: string]: unknown;
            }[];
        };
        Snapshot: {
            /** @constant */
            format: "testapi.snapshot";
            /** @description This testapi writes and reads 1. */
            formatVersion: number;
            model?: {
                /** @description A hash of the tables, columns and keys the rows were exported from. */
                fingerprint?: string;
                schemas?: string[];
            };
            tag?: components["schemas"]["Tag"];
            exportedAt?: components["schemas"]["Timestamp"];
            /** @description On import, when the query string does not say. */
            keepUniqueValues?: boolean;
            /** @description Parents first. */
            tables: components["schemas"]["SnapshotTable"][];
        };
        ImportResult: {
            tag: components["schemas"]["Tag"];
            /** @description The tag the snapshot was exported from. */
            sourceTag: string | null;
            expiresAt: components["schemas"]["Timestamp"];
            /** @description Rows written per table. */
            counts: {
                [key: string]: number;
            };
            total: number;
            /** @description `table.column` → old value → new value, for every unique value re-salted. */
            uniqueValues: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
        };
        CopyRequest: {
            /** @description A name from TESTAPI_SOURCES. */
            source: string;
            root: {
                table: string;
                /** @description Root rows chosen by the seed (give this or ids). */
                sample?: number;
                ids?: (string | number | boolean)[];
                /** @description Column → value, null, array of values, or {eq|ne|lt|lte|gt|gte|in|isNull: value}. */
                where?: {
                    [key: string]: unknown;
                };
            };
            /**
             * @description Levels of child rows (rows referencing the copied ones) to take.
             * @default 0
             */
            children?: number;
            seed?: components["schemas"]["Seed"];
            ttlSeconds?: components["schemas"]["TtlSeconds"];
        };
        CopyResult: {
            tag: components["schemas"]["Tag"];
            source: string;
            seed: number;
            expiresAt: components["schemas"]["Timestamp"];
            counts: {
                [key: string]: number;
            };
            total: number;
            /** @description `table.column` → the rule applied (fake, mask or null), for every column of the copied tables not copied as is. */
            anonymized: {
                [key: string]: "fake" | "mask" | "null";
            };
        };
        /**
         * @description keep: copied as is; fake: replaced by a keyed pseudonym; mask: text kept with personal values in it replaced; null: emptied.
         * @enum {string}
         */
        CopyRule: "keep" | "fake" | "mask" | "null";
        SourceRules: {
            source: string;
            tables: {
                table: string;
                columns: {
                    name: string;
                    type: string;
                    rule: components["schemas"]["CopyRule"];
                    /** @description What a fake is drawn as (email, first-name, phone, national-id, secret, words, json, ...). */
                    kind: string | null;
                    /** @description root.where and ids may use it (its values are copied as is and name no one). */
                    filterable: boolean;
                    /**
                     * @example keep: TESTAPI_SOURCE_RULES says keep (inferred fake: text (text) may name anyone; ...)
                     * @example fake: a secret (secret: column name, whatever the type or default)
                     */
                    reason: string;
                }[];
            }[];
        };
    };
    responses: {
        /** @description An RFC 9457 problem. */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        PactMappingName: string;
        /**
         * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
         *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
         *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
         *     with the tag. Two identical requests racing with one key create the graph once. A retry that
         *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
         *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
         */
        IdempotencyKey: string;
        TagPath: components["schemas"]["Tag"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getEnvironmentPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": components["schemas"]["Status"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ready"
                     *     }
                     */
                    "application/json": components["schemas"]["Status"];
                };
            };
            503: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getLiveOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document of this deployment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        paths: Record<string, never>;
                    };
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getLiveOpenApiYaml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The same document as /openapi.json. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Swagger UI page, when asked for as `/docs/`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Asked for as `/docs`, the page is at `docs/`, relative to the URL asked for. */
            301: {
                headers: {
                    /** @description `docs/`, relative, so a proxy that serves testapi under a path prefix keeps the prefix. */
                    Location?: "docs/";
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listScenarios: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScenarioList"];
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionUnknownScenario: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FileScenarioRequest"];
            };
        };
        responses: {
            /** @description A scenario file's graph, created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "tag": "signup-suite-1",
                 *       "seed": 42,
                 *       "params": {
                 *         "role": "admin",
                 *         "addresses": 2
                 *       },
                 *       "overrides": {
                 *         "user": {
                 *           "email": "ana@example.com"
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["UserScenarioRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionUserWithOrders: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "tag": "checkout-suite-7",
                 *       "seed": 42,
                 *       "ttlSeconds": 3600,
                 *       "params": {
                 *         "orders": 5,
                 *         "status": "shipped"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["UserWithOrdersScenarioRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserWithOrdersScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "tag": "org-suite",
                 *       "seed": 7,
                 *       "params": {
                 *         "members": 10
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["OrganizationScenarioRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionCatalog: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "tag": "search-suite",
                 *       "seed": 1,
                 *       "params": {
                 *         "products": 50
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CatalogScenarioRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionBulkOrders: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "tag": "load-test-3",
                 *       "seed": 3,
                 *       "params": {
                 *         "users": 10000,
                 *         "ordersPerUser": 5,
                 *         "itemsPerOrder": 3
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["BulkOrdersScenarioRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkOrdersScenarioResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getSchema: {
        parameters: {
            query?: {
                /** @description `full` (the default) or `summary`. */
                format?: "full" | "summary";
                /** @description One table's key (`schema.table`) or label; a name not in the model is a 400 naming `table`. */
                table?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model, one table of it, or its summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchemaModel"] | components["schemas"]["SchemaSummary"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    reloadSchema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description The new model; requests already running keep the one they started with. The scenario files are read again too.
             *     Every testapi process on the same database (replicas, TESTAPI_WORKERS) reloads too, within about 2 s, each
             *     reading its own scenario folder.
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchemaModel"];
                };
            };
            /**
             * @description A scenario file does not parse or does not fit the new model; `errors[]` names each as
             *     `<file>:<path in the file>`. Nothing was reloaded: the previous model and scenarios stay in use.
             *     Nothing is announced either: every process keeps the previous model and scenarios.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    provisionGraph: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description A retry with the same key, scenario and body (compared as canonical JSON) replays the first
                 *     response (with the header `Idempotent-Replayed: true`) and writes nothing; the same key with
                 *     another scenario or body is a 409. Keys live in PostgreSQL, shared by every replica, and expire
                 *     with the tag. Two identical requests racing with one key create the graph once. A retry that
                 *     arrives while the first request still runs waits at most LOCK_TIMEOUT_MS, then gets a 409
                 *     `urn:testapi:problem:in-progress` with `Retry-After` (nothing written; retry later).
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "tag": "invoices-suite-3",
                 *       "seed": 42,
                 *       "ttlSeconds": 3600,
                 *       "graph": {
                 *         "customer": [
                 *           {
                 *             "count": 2,
                 *             "as": "buyers",
                 *             "set": {
                 *               "country": "Germany"
                 *             },
                 *             "invoice": [
                 *               {
                 *                 "count": 3,
                 *                 "invoice_line": [
                 *                   {
                 *                     "count": 2
                 *                   }
                 *                 ]
                 *               }
                 *             ]
                 *           }
                 *         ],
                 *         "genre": [
                 *           {
                 *             "count": 1,
                 *             "as": "rock",
                 *             "set": {
                 *               "name": "Rock"
                 *             }
                 *           }
                 *         ]
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["GraphRequest"];
            };
        };
        responses: {
            /** @description Created under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GraphResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listTags: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Only tags starting with this text (matched literally; `%` and `_` are not wildcards). */
                prefix?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of tags. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getTagDependents: {
        parameters: {
            query?: {
                /** @description Rows listed per table (default 100). */
                limit?: number;
            };
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dependents per table. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagDependents"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getTagRows: {
        parameters: {
            query: {
                /** @description A table of GET /schema (`schema.table` when the name is ambiguous). */
                table: string;
                /** @description Rows per page (default 100). */
                limit?: number;
                /** @description The `nextCursor` of the previous page, as it came. */
                cursor?: string;
            };
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the tag's rows of the table. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagRows"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getTag: {
        parameters: {
            query?: {
                /** @description `ids` adds up to 1,000 ids per table (a target schema's primary keys, from the row ledger); follow `nextCursor` for more. */
                include?: "ids";
                /**
                 * @description The `nextCursor` of the previous page, with `include=ids`. Opaque: anything else, or a cursor
                 *     of the other mode (shop or TESTAPI_TARGET_SCHEMAS), is a 400 naming `cursor`. A shop cursor is
                 *     at most 512 characters; a target schema's holds the last key of each table that continues, so
                 *     it grows with them, up to 8,192.
                 */
                cursor?: string;
            };
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tag. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagDetail"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteTag: {
        parameters: {
            query?: {
                /** @description `delete` also deletes rows outside the tag that reference its rows (reported under `dependents`). */
                dependents?: "delete";
            };
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteTagResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    exportTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The snapshot. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    importSnapshot: {
        parameters: {
            query?: {
                /** @description Keep unique values as in the snapshot (a collision is a 409). Default false; the snapshot's own top-level `keepUniqueValues` applies when this is absent. */
                keepUniqueValues?: "true" | "false";
                ttlSeconds?: string;
            };
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Snapshot"];
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description Written under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getSourceRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A name from TESTAPI_SOURCES. */
                source: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SourceRules"];
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    copyFromSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: components["parameters"]["TagPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "source": "staging",
                 *       "root": {
                 *         "table": "customer",
                 *         "sample": 200,
                 *         "where": {
                 *           "country": "Germany"
                 *         }
                 *       },
                 *       "children": 2,
                 *       "seed": 7
                 *     }
                 */
                "application/json": components["schemas"]["CopyRequest"];
            };
        };
        responses: {
            /** @description Copied under the tag. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CopyResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            503: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    cleanup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CleanupRequest"];
            };
        };
        responses: {
            /** @description What was deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CleanupResult"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getPactMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["parameters"]["PactMappingName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mapping as stored, defaults filled in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PactMapping"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    putPactMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["parameters"]["PactMappingName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "ttlSeconds": 900,
                 *       "unknownStates": "reject",
                 *       "states": {
                 *         "a user with orders": {
                 *           "scenario": "user-with-orders",
                 *           "params": {
                 *             "orders": {
                 *               "param": "orders",
                 *               "default": 1
                 *             },
                 *             "status": "shipped"
                 *           },
                 *           "inject": {
                 *             "userId": "user.id",
                 *             "orderId": "orders[0].id",
                 *             "userEmail": "user.email"
                 *           }
                 *         },
                 *         "no orders exist": {
                 *           "scenario": null
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["PactMappingRequest"];
            };
        };
        responses: {
            /** @description Replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PactMapping"];
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PactMapping"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deletePactMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: components["parameters"]["PactMappingName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    changePactProviderState: {
        parameters: {
            query: {
                mapping: string;
                /** @description Isolates concurrent verifications (e.g. the CI job id); part of every tag. */
                session: string;
                /** @description Query mode only. Any further query parameter is a state param. */
                state?: string;
                /** @description Query mode only. */
                action?: "setup" | "teardown";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "state": "a user with orders",
                 *       "params": {
                 *         "orders": 2
                 *       },
                 *       "action": "setup"
                 *     }
                 */
                "application/json": components["schemas"]["PactStateChange"];
            };
        };
        responses: {
            /** @description Setup answers the inject values; teardown and the empty state answer `{}`. */
            200: {
                headers: {
                    /** @description The tag holding the state's rows (absent for the empty state). */
                    "X-Testapi-Tag"?: components["schemas"]["Tag"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "userId": "9b2c4f4e-3f7a-4d7e-9a51-0c1f7a0d2b11",
                     *       "orderId": "0f5e1c3a-8d2b-4b6f-a0c4-5e9d8b7a6c21"
                     *     }
                     */
                    "application/json": components["schemas"]["PactStateValues"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            422: components["responses"]["Problem"];
            /** @description Too many bulk provisionings at once; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is not reachable (`DB_CONNECT_TIMEOUT_MS`), or every connection of the pool stayed in use for `DB_POOL_WAIT_MS`; nothing was written, retry after `Retry-After` seconds. */
            503: {
                headers: {
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
}
