import type {
  CallToolResult,
  ContentBlock as SdkContentBlock,
  GetPromptResult as SdkGetPromptResult,
  ReadResourceResult as SdkReadResourceResult,
  Tool as SdkTool,
} from '@modelcontextprotocol/sdk/types.js';
import { expectTypeOf, test } from 'vitest';
import type {
  ContentBlock,
  GetPromptResult,
  McpTool,
  ReadResourceResult,
  ToolResult,
} from './types';

// The re-declared wire types must accept what the official SDK produces.
test('wire types are compatible with the official SDK types', () => {
  expectTypeOf<SdkTool>().toExtend<McpTool>();
  expectTypeOf<SdkContentBlock>().toExtend<ContentBlock>();
  expectTypeOf<ContentBlock>().toExtend<SdkContentBlock>();
  expectTypeOf<Pick<CallToolResult, 'content' | 'structuredContent' | 'isError'>>().toExtend<
    Pick<ToolResult, 'content' | 'structuredContent' | 'isError'>
  >();
  expectTypeOf<SdkReadResourceResult>().toExtend<ReadResourceResult>();
  expectTypeOf<SdkGetPromptResult>().toExtend<GetPromptResult>();
});
