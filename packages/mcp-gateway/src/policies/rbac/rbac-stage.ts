/**
 * Role-based access control over `server/tool` names with glob patterns.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { resolveToolSafety } from '@tekup/mcp-contract';
import { GatewayError } from '../../errors.js';
import type { Principal, RequestContext, Stage, ToolSafety } from '../../pipeline/types.js';
import { type DenyReason, type PolicyMetrics, noopPolicyMetrics } from '../metrics.js';

/** What one role may do. */
export interface RoleRule {
  /**
   * Glob patterns over `server/tool`: `*` matches any run of characters except
   * `/`. A pattern without `/` names a whole server (`billy` = `billy/*`).
   * @example ['billy/*', '*\/list_*', 'database/query']
   */
  allow?: string[];
  /** Patterns that are refused even when allowed; deny always wins. */
  deny?: string[];
  /** May call destructive tools. @default false */
  destructive?: boolean;
}

/** Options for {@link createRbacStage}. */
export interface RbacStageOptions {
  roles: Record<string, RoleRule>;
  /**
   * Safety of a listed tool for `filterTools`, from its annotations by default
   * (MCP defaults: `readOnlyHint` false, `destructiveHint` true).
   */
  safetyOf?: (server: string, tool: Tool) => ToolSafety;
  metrics?: PolicyMetrics;
}

/** The decision for one `server/tool`. */
export type RbacDecision = { allowed: true } | { allowed: false; reason: DenyReason };

/** A compiled RBAC policy, usable outside the pipeline (e.g. by a dashboard). */
export interface RbacPolicy {
  /** May `role` call `server/tool` with this safety? */
  canCall(role: string, server: string, tool: string, safety: ToolSafety): RbacDecision;
  /** May `role` reach `server` at all (lists, resources, prompts)? */
  canUseServer(role: string, server: string): RbacDecision;
}

interface CompiledPattern {
  server: RegExp;
  tool: RegExp;
  /** True when the pattern covers every tool of the servers it matches. */
  wholeServer: boolean;
}

interface CompiledRole {
  allow: CompiledPattern[];
  deny: CompiledPattern[];
  destructive: boolean;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}

function compilePattern(pattern: string): CompiledPattern {
  const slash = pattern.indexOf('/');
  const serverGlob = slash === -1 ? pattern : pattern.slice(0, slash);
  const toolGlob = slash === -1 ? '*' : pattern.slice(slash + 1);
  return {
    server: globToRegExp(serverGlob),
    tool: globToRegExp(toolGlob),
    wholeServer: /^\*+$/.test(toolGlob),
  };
}

function matches(patterns: CompiledPattern[], server: string, tool: string): boolean {
  return patterns.some((pattern) => pattern.server.test(server) && pattern.tool.test(tool));
}

/**
 * A tool needs a role with `destructive: true` when it may change state and
 * says it is destructive: `!readOnly && destructive`. Additive writes
 * (`destructiveHint: false`) follow the normal allow/deny rules, as the MCP
 * spec's annotations intend (`destructiveHint` is meaningful only when
 * `readOnlyHint` is false).
 */
function isDestructive(safety: ToolSafety): boolean {
  return !safety.readOnly && safety.destructive;
}

/** Safety from MCP tool annotations with the spec's defaults. */
export function safetyFromAnnotations(tool: Pick<Tool, 'annotations'>): ToolSafety {
  return resolveToolSafety(tool.annotations);
}

/** Compiles role rules once; decisions are then a few regex tests. */
export function createRbacPolicy(roles: Record<string, RoleRule>): RbacPolicy {
  const compiled = new Map<string, CompiledRole>();
  for (const [name, rule] of Object.entries(roles)) {
    compiled.set(name, {
      allow: (rule.allow ?? []).map(compilePattern),
      deny: (rule.deny ?? []).map(compilePattern),
      destructive: rule.destructive === true,
    });
  }
  return {
    canCall(role, server, tool, safety) {
      const rule = compiled.get(role);
      if (!rule) return { allowed: false, reason: 'unknown_role' };
      if (matches(rule.deny, server, tool)) return { allowed: false, reason: 'denied' };
      if (!matches(rule.allow, server, tool)) return { allowed: false, reason: 'not_allowed' };
      if (isDestructive(safety) && !rule.destructive) {
        return { allowed: false, reason: 'destructive' };
      }
      return { allowed: true };
    },
    canUseServer(role, server) {
      const rule = compiled.get(role);
      if (!rule) return { allowed: false, reason: 'unknown_role' };
      if (rule.deny.some((pattern) => pattern.wholeServer && pattern.server.test(server))) {
        return { allowed: false, reason: 'denied' };
      }
      if (!rule.allow.some((pattern) => pattern.server.test(server))) {
        return { allowed: false, reason: 'not_allowed' };
      }
      return { allowed: true };
    },
  };
}

const reasons: Record<DenyReason, string> = {
  unknown_role: 'the role has no rules',
  not_allowed: "not in the role's allow list",
  denied: 'denied for the role',
  destructive: 'destructive tools need a role with destructive: true',
};

/**
 * The RBAC stage: `tools/call` needs the tool allowed (and not denied) for the
 * principal's role, destructive tools need `destructive: true`; every other
 * method needs the server allowed. `filterTools` hides what cannot be called.
 *
 * @example
 * createRbacStage({ roles: {
 *   admin: { allow: ['*'], destructive: true },
 *   member: { allow: ['*\/list_*', 'knowledge/*'], deny: ['database/*'] },
 * } });
 */
export function createRbacStage(options: RbacStageOptions): Stage {
  const policy = createRbacPolicy(options.roles);
  const metrics = options.metrics ?? noopPolicyMetrics;
  const safetyOf =
    options.safetyOf ?? ((_server: string, tool: Tool) => safetyFromAnnotations(tool));

  function refuse(context: RequestContext, reason: DenyReason, target: string): never {
    metrics.denied(context.server, reason);
    throw new GatewayError(
      'forbidden',
      `Role "${context.principal.role}" may not ${target}: ${reasons[reason]}`,
      { data: { reason } },
    );
  }

  return {
    name: 'rbac',
    async handle(context, next) {
      const { role } = context.principal;
      if (context.method === 'tools/call' && context.tool) {
        const decision = policy.canCall(
          role,
          context.server,
          context.tool.name,
          context.tool.safety,
        );
        if (!decision.allowed) {
          refuse(context, decision.reason, `call ${context.server}/${context.tool.name}`);
        }
      } else {
        const decision = policy.canUseServer(role, context.server);
        if (!decision.allowed) refuse(context, decision.reason, `use server ${context.server}`);
      }
      return next(context);
    },
    filterTools(principal: Principal, server: string, tools: Tool[]) {
      return tools.filter(
        (tool) => policy.canCall(principal.role, server, tool.name, safetyOf(server, tool)).allowed,
      );
    },
  };
}
