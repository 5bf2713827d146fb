import { resolveToolSafety } from '@tekup/mcp-contract';
import { describe, expect, it } from 'vitest';
import { toolNeedsApproval } from './approval';
import type { GatewayTool } from './gateway-tool';

const tool = (server: string, readOnlyHint?: boolean): GatewayTool => ({
  name: `${server}__x`,
  server,
  tool: 'x',
  description: '',
  inputSchema: { type: 'object' },
  annotations: resolveToolSafety(readOnlyHint === undefined ? undefined : { readOnlyHint }),
});

describe('toolNeedsApproval', () => {
  it('asks for approval unless a tool is read-only', () => {
    const tools = [tool('billy', true), tool('billy', false)];
    expect(tools.map((item) => toolNeedsApproval(item))).toEqual([false, true]);
  });

  it('asks when the server says nothing (the spec assumes the worst)', () => {
    expect(toolNeedsApproval(tool('billy'))).toBe(true);
  });

  it.each([
    ['adds an approval to a read-only tool', tool('billy', true), true],
    ['leaves other read-only tools alone', tool('calendar', true), false],
    ['cannot remove the approval of a write', tool('calendar', false), true],
  ])('a policy %s', (_name, candidate, expected) => {
    expect(toolNeedsApproval(candidate, (item) => item.server === 'billy')).toBe(expected);
  });

  it('does not ask the policy about a tool that needs approval anyway', () => {
    let asked = 0;
    toolNeedsApproval(tool('billy', false), () => {
      asked++;
      return false;
    });
    expect(asked).toBe(0);
  });
});
