export { createTestApi } from './client.js';
export type {
  CleanupFilter,
  KeptTag,
  CleanupOptions,
  CleanupResult,
  CopyRequest,
  CopyResult,
  DeleteTagResult,
  GraphRequest,
  GraphResult,
  ImportOptions,
  ImportResult,
  ProvisionOptions,
  ScenarioInfo,
  ScenarioList,
  SchemaModel,
  SchemaSummary,
  Snapshot,
  TableCounts,
  TagDetail,
  TagRows,
  TagDependents,
  TagRowsQuery,
  TagList,
  TagQuery,
  TagSummary,
  TagsQuery,
  TestApi,
  TestApiOptions,
} from './client.js';
export { pactStateUrl, type PactApi, type PactMapping, type PactMappingRequest, type PactState, type PactStateUrlOptions } from './pact.js';
export { TestApiConnectionError, TestApiError, type FieldError, type Problem } from './errors.js';
export type { GraphRequestOf, GraphResultOf, ScenarioName, ScenarioOperations, ScenarioOverrides, ScenarioParams, ScenarioRequest, ScenarioResult } from './scenario-types.js';
export type { components, paths } from './generated/openapi.js';
