/**
 * The one zod schema of the configuration file: the core's sections (servers, timeouts,
 * health checks, sessions, origins…) composed with the policy sections' sub-schemas, so a
 * file is validated once and every problem names its key.
 */
import { z } from 'zod';
import { policySectionSchemas } from '../policies/config.js';

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL' },
);

const positiveInt = z.number().int().positive();

const toolOverrideSchema = z.strictObject({
  readOnly: z.boolean().optional(),
  destructive: z.boolean().optional(),
  idempotent: z.boolean().optional(),
});

const loadBalancingSchema = z.enum(['round-robin', 'least-outstanding']);

const timeoutsSchema = z.strictObject({
  toolCallMs: positiveInt.optional(),
  requestMs: positiveInt.optional(),
  attemptMs: positiveInt.optional(),
});

const serverSchema = z.strictObject({
  instances: z.array(httpUrl).min(1, { message: 'needs at least one instance URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  onBehalfHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, { message: 'must be an HTTP header name' })
    .optional(),
  timeouts: timeoutsSchema.optional(),
  cacheTtlSeconds: z.number().int().min(0).optional(),
  loadBalancing: loadBalancingSchema.optional(),
  tools: z.record(z.string(), toolOverrideSchema).optional(),
  tenancy: z.enum(['tenant', 'shared', 'internal']).optional(),
  invalidates: z.array(z.string()).optional(),
});

const serverName = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

/** The core's sections by key; their defaults are applied when the config is resolved. */
export const coreSectionSchemas = {
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, { message: "must be '' or a path like /api/gateway" })
    .optional(),
  bodyLimitBytes: positiveInt.optional(),
  maxJsonDepth: z.number().int().min(8).max(256).optional(),
  allowedOrigins: z.array(z.string()).optional(),
  allowLocalhostOrigins: z.boolean().optional(),
  sessionSecret: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  sessionTtlSeconds: positiveInt.optional(),
  loadBalancing: loadBalancingSchema.optional(),
  healthCheck: z
    .strictObject({ intervalMs: positiveInt.optional(), timeoutMs: positiveInt.optional() })
    .optional(),
  ejection: z
    .strictObject({
      consecutiveFailures: positiveInt.optional(),
      cooldownMs: positiveInt.optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: positiveInt.optional(),
      baseDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
    })
    .optional(),
  timeouts: timeoutsSchema.optional(),
  operators: z
    .strictObject({
      tenants: z.array(z.string().min(1)).optional(),
      roles: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  servers: z.record(z.string(), serverSchema).superRefine((servers, context) => {
    const names = Object.keys(servers);
    if (names.length === 0)
      context.addIssue({ code: 'custom', message: 'needs at least one server' });
    for (const name of names) {
      if (!serverName.test(name)) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'server names use letters, digits, "-" or "_" (at most 32)',
        });
      }
    }
  }),
};

/**
 * Zod schema of the configuration file: the core's sections and the policy sections. Other
 * top-level sections pass through for the host.
 */
export const gatewayConfigSchema = z.looseObject({
  ...coreSectionSchemas,
  ...policySectionSchemas,
});

/** The configuration as written in a file or passed to `createGateway`. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
