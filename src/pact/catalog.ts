import type { AnyRecipe } from '../provisioning/scenario-recipe';
import type { ScenarioSet } from '../scenario-files/scenario-set';
import type { ScenarioCatalog } from './mapping';

/** The shop's built-in recipes, as the registry finds them. */
export function recipeCatalog(find: (name: string) => AnyRecipe | undefined, names: () => string[]): ScenarioCatalog {
  return {
    find(name) {
      const recipe = find(name);
      return recipe ? { kind: 'recipe', recipe } : undefined;
    },
    names,
  };
}

/** A target schema's scenario files (TESTAPI_SCENARIOS_DIR): the only scenarios that mode offers. */
export function fileCatalog(set: ScenarioSet): ScenarioCatalog {
  return {
    find(name) {
      const definition = set.get(name);
      return definition ? { kind: 'file', definition } : undefined;
    },
    names: () => [...set.keys()],
  };
}
