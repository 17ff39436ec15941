/**
 * What a route needs of a key, said once: the OpenAPI security requirement
 * (with the scopes, so the document tells a client which key to use, and the
 * auth tests derive their matrix from it) and the middleware that enforces it.
 */
import type { Scope } from '../domain/vocab';
import { requireScope } from '../lib/auth';

/** Spread into createRoute: a bearer key with one of `scopes` (admin grants all). */
export const guarded = (...scopes: Scope[]) => ({ security: [{ bearer: [...scopes] }], middleware: requireScope(...scopes) });
