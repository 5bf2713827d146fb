import type { LanguageModelV4FunctionTool, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createOffline } from '../offline-provider';
import { FIXTURE_TOOLS } from '../test/fixture-tools';
import { NOW } from '../test/helpers';
import { danishLexicon } from './danish';
import { englishLexicon } from './english';
import type { Lexicon } from './lexicon';
import { tekupDemoLexicon } from './tekup-demo';

// Another fleet: a helpdesk. Its words live in its own lexicon, as Tekup's do in theirs.
const helpdeskLexicon: Lexicon = {
  concepts: {
    ticket: ['ticket', 'tickets', 'case', 'cases', 'sag', 'sager', 'sagen', 'henvendelse'],
    open: ['open', 'åben', 'åbne', 'unresolved', 'uløste'],
    closed: ['closed', 'lukket', 'lukkede', 'resolved', 'løste'],
  },
  parameters: { name: ['requester'] },
  ids: { nouns: ['ticket', 'case', 'sag'] },
  limits: { nouns: ['tickets', 'sager'] },
  results: {
    labels: ['subject', 'title', 'id'],
    ids: ['ticketNumber', 'id'],
    parties: ['requester'],
  },
  nouns: { da: { tickets: ['sag', 'sager'] } },
  examples: { en: 'Show open tickets', da: 'Vis åbne sager' },
};

const HELPDESK_TOOLS: LanguageModelV4FunctionTool[] = [
  {
    type: 'function',
    name: 'helpdesk__list_tickets',
    description: 'List support tickets by status and requester.',
    inputSchema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['open', 'pending', 'closed'] },
        requester: { type: 'string' },
        limit: { type: 'integer', maximum: 50 },
      },
    },
  },
  {
    type: 'function',
    name: 'helpdesk__get_ticket',
    description: 'Get one ticket with its messages.',
    inputSchema: {
      type: 'object',
      properties: { ticketId: { type: 'string' } },
      required: ['ticketId'],
    },
  },
];

const user = (text: string): LanguageModelV4Prompt[number] => ({
  role: 'user',
  content: [{ type: 'text', text }],
});

async function step(lexicon: Lexicon[], prompt: LanguageModelV4Prompt, tools = HELPDESK_TOOLS) {
  const model = createOffline({ lexicon, now: () => NOW })('offline-planner');
  const { content } = await model.doGenerate({ prompt, tools });
  const [part] = content;
  if (part?.type === 'tool-call') return { tool: part.toolName, input: JSON.parse(part.input) };
  return { text: part?.type === 'text' ? part.text : '' };
}

const BASE = [englishLexicon, danishLexicon];
const HELPDESK = [...BASE, helpdeskLexicon];

describe('a lexicon for another fleet', () => {
  it.each([
    ['Vis åbne sager', { tool: 'helpdesk__list_tickets', input: { status: 'open' } }],
    [
      'Show the top 5 closed cases',
      { tool: 'helpdesk__list_tickets', input: { status: 'closed', limit: 5 } },
    ],
    ['Vis sag 4711', { tool: 'helpdesk__get_ticket', input: { ticketId: '4711' } }],
    [
      'Tickets for Anna Berg',
      { tool: 'helpdesk__list_tickets', input: { requester: 'Anna Berg' } },
    ],
  ])('%s', async (prompt, expected) => {
    expect(await step(HELPDESK, [user(prompt)])).toEqual(expected);
  });

  it('understands none of it without the domain lexicon', async () => {
    const { text } = await step(BASE, [user('Vis åbne sager')]);
    expect(text).toMatch(/^Jeg kunne ikke matche det/);
    expect(text).toContain('Prøv at nævne hvad du vil se eller oprette.');
  });

  it('answers in the domain words, in the user language', async () => {
    const rows = [
      { ticketNumber: 'T-1', subject: 'Printer offline', requester: 'Anna Berg', status: 'open' },
      { ticketNumber: 'T-2', subject: 'Ny bærbar', requester: 'Ole Dahl', status: 'open' },
    ];
    const prompt: LanguageModelV4Prompt = [
      user('Vis åbne sager'),
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'c1', toolName: 'helpdesk__list_tickets', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'helpdesk__list_tickets',
            output: { type: 'json', value: { tickets: rows } },
          },
        ],
      },
    ];
    const { text } = await step(HELPDESK, prompt);
    expect(text).toContain('Fandt 2 sager.');
    expect(text).toContain('- T-1 · Printer offline · Anna Berg · open');
  });
});

describe('the Tekup demo lexicon', () => {
  const tools = FIXTURE_TOOLS.map((spec) => ({
    type: 'function' as const,
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema as LanguageModelV4FunctionTool['inputSchema'],
  }));

  it('brings the demo domain: faktura, moms and invoice numbers mean nothing without it', async () => {
    expect(await step(BASE, [user('Vis betalte fakturaer')], tools)).toHaveProperty('text');
    expect(await step([...BASE, tekupDemoLexicon], [user('Vis betalte fakturaer')], tools)).toEqual(
      {
        tool: 'billy__list_invoices',
        input: { status: 'paid' },
      },
    );
  });

  it('quotes its example when no tool fits', async () => {
    const { text } = await step([...BASE, tekupDemoLexicon], [user('Tell me a joke')], tools);
    expect(text).toContain('e.g. "Show paid invoices for Acme".');
  });
});
