import { InitialSchema1764100000000 } from './1764100000000-initial-schema';

/** Every migration, oldest first: the DataSource gets an explicit list, never a glob. */
export const MIGRATIONS = [InitialSchema1764100000000];
