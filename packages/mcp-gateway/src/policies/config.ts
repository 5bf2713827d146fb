/**
 * The policy sections of the configuration (`auth`, `rbac`, `rateLimit`, `cache`, `audit`) as
 * zod sub-schemas: the gateway's one config schema is composed of these and the core's
 * sections, and {@link parsePolicyConfig} validates them alone for a host that builds its
 * stages without a config file.
 */
import { z } from 'zod';
import { POLICY_DEFAULTS } from '../config/defaults.js';

const ruleSchema = z.strictObject({
  points: z.number().int().positive(),
  durationSeconds: z.number().positive(),
});

const apiKeyRecordSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, { message: 'must be the 16 hex characters of the key id' }),
  hash: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the hex SHA-256 of the key' }),
  ownerId: z.string().min(1),
  role: z.string().min(1),
  tenantId: z.string().min(1).optional(),
  kind: z.enum(['user', 'service']).optional(),
  trusted: z.boolean().optional(),
  onBehalfRoles: z.array(z.string()).optional(),
  expiresAt: z.union([z.string(), z.number()]).optional(),
  revokedAt: z.union([z.string(), z.number()]).optional(),
  label: z.string().optional(),
  scopes: z.array(z.string().regex(/^(\*|[a-z0-9][a-z0-9_-]*):(read|write)$/i)).optional(),
});

/** The policy sections' schemas by key, for composing into the whole file's schema. */
export const policySectionSchemas = {
  /** Absent: loopback clients only, as the anonymous principal. */
  auth: z
    .strictObject({
      keys: z.array(apiKeyRecordSchema).default([]),
      /** @default false when the section is present */
      allowAnonymousLoopback: z.boolean().default(false),
      anonymousRole: z.string().min(1).default(POLICY_DEFAULTS.auth.anonymousRole),
      onBehalfHeader: z.string().min(1).optional(),
    })
    .optional(),
  /** Absent: no RBAC stage (every authenticated caller may call everything). */
  rbac: z
    .strictObject({
      roles: z.record(
        z.string(),
        z.strictObject({
          allow: z.array(z.string()).optional(),
          deny: z.array(z.string()).optional(),
          destructive: z.boolean().optional(),
        }),
      ),
    })
    .optional(),
  /** Absent: no rate limiting. */
  rateLimit: z
    .strictObject({
      default: ruleSchema,
      servers: z.record(z.string(), ruleSchema).optional(),
      tools: z
        .record(
          z.string(),
          z.strictObject({
            cost: z.number().int().positive().optional(),
            points: z.number().int().positive().optional(),
            durationSeconds: z.number().positive().optional(),
          }),
        )
        .optional(),
      /** One more bucket per API key, across its users and servers. */
      apiKey: ruleSchema.optional(),
      failMode: z.enum(['open', 'closed']).default(POLICY_DEFAULTS.rateLimit.failMode),
      timeoutMs: z.number().int().positive().optional(),
      redisPrefix: z.string().default(POLICY_DEFAULTS.rateLimit.redisPrefix),
    })
    .optional(),
  /** Absent: caching on with the plan's TTLs. */
  cache: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** @default 64 MiB */
      maxBytes: z.number().int().positive().default(POLICY_DEFAULTS.cache.maxBytes),
      /** Per-server TTLs, over `servers.<name>.cacheTtlSeconds`. */
      ttlSeconds: z.record(z.string(), z.number().min(0)).optional(),
      staleIfErrorSeconds: z.number().min(0).default(POLICY_DEFAULTS.cache.staleIfErrorSeconds),
      /**
       * Who may share a result: one tenant (default), one user, or everyone — `shared` applies
       * only to servers whose tenancy is `shared`; the others stay per tenant.
       */
      scope: z.enum(['tenant', 'user', 'shared']).default(POLICY_DEFAULTS.cache.scope),
      redisPrefix: z.string().default(POLICY_DEFAULTS.cache.redisPrefix),
    })
    .prefault({}),
  /** Absent: auditing on, into PGlite under `.data/audit` (or Postgres with `DATABASE_URL`). */
  audit: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Directory for the embedded database (`<dataDir>/audit`) and the audit spool. */
      dataDir: z.string().default(POLICY_DEFAULTS.audit.dataDir),
      redactArguments: z
        .enum(['hash', 'omit', 'raw'])
        .default(POLICY_DEFAULTS.audit.redactArguments),
      batchSize: z.number().int().positive().optional(),
      flushIntervalMs: z.number().int().positive().optional(),
      maxBuffer: z.number().int().positive().optional(),
      schema: z.string().optional(),
    })
    .prefault({}),
};

/** Zod schema of the policy sections alone; other keys are ignored. */
const policyConfigSchema = z.object(policySectionSchemas);

/** The policy sections as written. */
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;

/** The policy sections with defaults applied. */
export type PolicyConfig = z.output<typeof policyConfigSchema>;

/** Validates the policy sections; throws a `TypeError` listing every problem. */
export function parsePolicyConfig(input: unknown): PolicyConfig {
  const parsed = policyConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new TypeError(`Invalid policy configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
