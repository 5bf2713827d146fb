import { generateText, jsonSchema, type ModelMessage, type Tool } from 'ai';
import { expect } from 'vitest';
import { danishLexicon } from '../lexicon/danish';
import { englishLexicon } from '../lexicon/english';
import { tekupDemoLexicon } from '../lexicon/tekup-demo';
import { createOffline, type OfflineProviderSettings } from '../offline-provider';
import { FIXTURE_TOOLS } from './fixture-tools';

/** Tuesday 24 November 2026. */
export const NOW = new Date('2026-11-24T10:00:00Z');

/** The lexicons the Tekup assistant composes. */
export const TEKUP_LEXICON = [englishLexicon, danishLexicon, tekupDemoLexicon];

/** The offline model over the Tekup lexicons (settings may replace them). */
export function offlineModel(settings: OfflineProviderSettings = {}) {
  return createOffline({ lexicon: TEKUP_LEXICON, ...settings }).languageModel('offline-planner');
}

/** Tool specs as AI SDK tools, optionally executable. */
export function demoTools(
  execute?: (name: string, args: unknown) => Promise<unknown>,
  specs = FIXTURE_TOOLS,
) {
  const tools: Record<string, Tool> = {};
  for (const spec of specs) {
    tools[spec.name] = {
      description: spec.description,
      inputSchema: jsonSchema(spec.inputSchema),
      ...(execute ? { execute: (args: unknown) => execute(spec.name, args) } : {}),
    } as Tool;
  }
  return tools;
}

/** The model's first step for a prompt: its tool call, or its text. */
export async function firstCall(prompt: string, specs = FIXTURE_TOOLS) {
  const result = await generateText({
    model: offlineModel({ now: () => NOW }),
    prompt,
    tools: demoTools(undefined, specs),
  });
  const [call] = result.toolCalls;
  return { call, text: result.text, finishReason: result.finishReason };
}

type ToolResultOutput = Extract<
  ModelMessage,
  { role: 'tool' }
>['content'][number] extends infer Part
  ? Part extends { type: 'tool-result'; output: infer Output }
    ? Output
    : never
  : never;

/** A user message, the model's call of `toolName`, and the tool's `output`. */
export function afterToolResult(
  prompt: string,
  toolName: string,
  output: ToolResultOutput,
): ModelMessage[] {
  return [
    { role: 'user', content: prompt },
    {
      role: 'assistant',
      content: [{ type: 'tool-call', toolCallId: 'call-1', toolName, input: {} }],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call-1', toolName, output }],
    },
  ];
}

/** The model's answer to a conversation that ends in tool results (it must call nothing). */
export async function answer(messages: ModelMessage[], locale?: 'en' | 'da') {
  const result = await generateText({
    model: offlineModel({ now: () => NOW, ...(locale ? { locale } : {}) }),
    messages,
    tools: demoTools(),
  });
  expect(result.toolCalls).toHaveLength(0);
  return result.text;
}

export const INVOICES = [
  { id: 'INV-1001', customer: 'Acme ApS', total: 12500, currency: 'DKK', status: 'paid' },
  { id: 'INV-1002', customer: 'Hansen & Søn', total: 4250.5, currency: 'DKK', status: 'paid' },
  { id: 'INV-1003', customer: 'Nordlys A/S', total: 800, currency: 'DKK', status: 'overdue' },
];
