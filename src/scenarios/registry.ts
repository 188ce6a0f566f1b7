import type { AnyRecipe } from '../provisioning/scenario-recipe';
import { bulkOrdersScenario } from './bulk-orders.scenario';
import { catalogScenario } from './catalog.scenario';
import { organizationScenario } from './organization.scenario';
import { userWithOrdersScenario } from './user-with-orders.scenario';
import { userScenario } from './user.scenario';

/** The catalog, in the order GET /scenarios lists it. Adding a scenario: one recipe file and one line here. */
export const SCENARIOS: readonly AnyRecipe[] = [
  userScenario,
  userWithOrdersScenario,
  organizationScenario,
  catalogScenario,
  bulkOrdersScenario,
] as AnyRecipe[];

export function findScenario(name: string): AnyRecipe | undefined {
  return SCENARIOS.find((recipe) => recipe.name === name);
}

export function scenarioNames(): string[] {
  return SCENARIOS.map((recipe) => recipe.name);
}
