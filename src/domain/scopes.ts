/** What a key's or a session's scopes allow. */
import type { Scope } from './vocab';

/** Whether `scopes` (of a key or a session) grant one of `needed`; admin grants all. */
export const grants = (scopes: readonly Scope[], ...needed: Scope[]): boolean => scopes.includes('admin') || needed.some((scope) => scopes.includes(scope));
