import { needsApproval } from '@tekup/mcp-contract';
import type { GatewayTool } from './gateway-tool';

/** An app's own approval rule: return `true` to ask before a tool the default rule lets through. */
export type ApprovalPolicy = (tool: GatewayTool) => boolean;

/**
 * Whether a call of `tool` waits for the user's approval: every tool that is not read-only (the
 * contract's `needsApproval`), plus whatever the app's `policy` adds. A policy can add
 * approvals, never remove one. Annotations are the server's hints, so this errs on asking.
 *
 * @example
 * if (toolNeedsApproval(tool, (candidate) => candidate.server === 'billy')) await askTheUser();
 */
export function toolNeedsApproval(tool: GatewayTool, policy?: ApprovalPolicy): boolean {
  return needsApproval(tool.annotations) || policy?.(tool) === true;
}
