/**
 * `params._meta` key under which the gateway forwards the authenticated caller upstream
 * (`{ userId, role, tenantId }`); a client-supplied value is stripped.
 */
export const CALLER_META_KEY = 'dk.tekup/caller';

/**
 * `result._meta` key under which the gateway marks a result it served from its cache because
 * the server could not answer (stale-if-error): `{ stale: true, ageSeconds }`.
 */
export const CACHE_META_KEY = 'dk.tekup/cache';
