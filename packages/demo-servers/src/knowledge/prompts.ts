import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** A prompt's one message, as the user would have typed it. */
const userText = (text: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
});

/**
 * The knowledge server's prompts: tasks Tekup's users run often, phrased once so the assistant
 * gets them right. The chat offers them as `/` commands.
 */
export function registerKnowledgePrompts(server: McpServer): void {
  server.registerPrompt(
    'report_vat',
    {
      title: 'Prepare the VAT report',
      description: 'The invoices of a quarter with net, VAT and total, and what to report to SKAT.',
      argsSchema: {
        quarter: z
          .string()
          .regex(/^\d{4}-Q[1-4]$/, 'a quarter such as 2026-Q2')
          .describe('The quarter, e.g. 2026-Q2'),
      },
    },
    ({ quarter }) =>
      userText(
        `Prepare the VAT (moms) report for ${quarter}: list the invoices of the quarter with net, VAT and total, and tell me what to report to SKAT and by when.`,
      ),
  );
  server.registerPrompt(
    'overdue_followup',
    {
      title: 'Follow up on overdue invoices',
      description: 'Finds the overdue invoices and drafts a friendly reminder for each customer.',
    },
    () =>
      userText(
        'Find the overdue invoices and draft a short, friendly reminder for each customer, with the invoice number, the amount and the due date.',
      ),
  );
  server.registerPrompt(
    'explain_howto',
    {
      title: 'Explain a how-to',
      description: 'Explains a task in Tekup from the documentation, with its sources.',
      argsSchema: { topic: z.string().min(2).describe('What to explain, e.g. payment terms') },
    },
    ({ topic }) =>
      userText(`How do I ${topic} in Tekup? Answer from the documentation and name the sources.`),
  );
}
