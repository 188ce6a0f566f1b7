import { Router } from 'express';
import type { AppDeps } from '../app';

// Placeholder: the provisioning issue fills this router.
export function scenariosRoutes(_deps: AppDeps): Router {
  return Router();
}
