import { Router } from 'express';
import type { AppDeps } from '../app';

// Placeholder: the tags and cleanup issue fills this router.
export function tagsRoutes(_deps: AppDeps): Router {
  return Router();
}
