/** The `_meta` key under which the gateway forwards the caller of each request. */
export const CALLER_META_KEY = 'dk.tekup/caller';

/** The caller identity forwarded by the gateway in `params._meta["dk.tekup/caller"]`. */
export interface Caller {
  userId?: string;
  tenantId?: string;
  role?: string;
}

/** Minimal shape of the SDK's request handler `extra` that carries `_meta`. */
export interface MetaCarrier {
  _meta?: Record<string, unknown>;
}

/** Reads the forwarded caller from a tool callback's `extra`; unknown shapes give `{}`. */
export function readCaller(extra: MetaCarrier | undefined): Caller {
  const value = extra?._meta?.[CALLER_META_KEY];
  if (value === null || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const caller: Caller = {};
  if (typeof record.userId === 'string') caller.userId = record.userId;
  if (typeof record.tenantId === 'string') caller.tenantId = record.tenantId;
  if (typeof record.role === 'string') caller.role = record.role;
  return caller;
}
