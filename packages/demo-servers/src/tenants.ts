/**
 * The two demo organizations (tenants). Each keeps its own books on every tenant-scoped server;
 * `idPrefix` starts the ids of its records (`cus_001` vs `ncus_001`), so ids never collide across
 * organizations and a leak is easy to spot.
 */
export const TENANTS = [
  { id: '00000000-0000-4000-8000-000000000001', name: 'Tekup Demo ApS', idPrefix: '' },
  { id: '00000000-0000-4000-8000-000000000002', name: 'Nordlys Rengøring ApS', idPrefix: 'n' },
] as const;

/** One demo tenant. */
export type Tenant = (typeof TENANTS)[number];
