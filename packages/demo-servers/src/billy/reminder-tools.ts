import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { READS } from '../core/annotations.js';
import { formatDkk } from '../core/money.js';
import { toolResult } from '../core/tool-result.js';
import { DemoServerError } from '../errors.js';
import type { BillyTools } from './ledger.js';
import { invoiceIdInput } from './schemas.js';

/** How long a person may take to allow the model's help. */
const answerTimeoutMs = 600_000;

/** The reminder billy writes itself; the host's model may only polish it. */
function templateReminder(invoice: {
  number: string;
  customerName: string;
  balance: number;
  dueDate: string;
}): string {
  return [
    `Kære ${invoice.customerName}`,
    '',
    `Vi kan ikke se, at vi har modtaget betaling for faktura ${invoice.number}, som forfaldt ${invoice.dueDate}. Det udestående beløb er ${formatDkk(invoice.balance)}.`,
    '',
    'Vi beder venligst om, at beløbet indbetales hurtigst muligt. Har I allerede betalt, kan I se bort fra denne påmindelse.',
    '',
    'Venlig hilsen',
  ].join('\n');
}

/**
 * billy's reminder tool: drafts a payment reminder for an unpaid invoice — its own template,
 * polished by the host's model when the client lends it (MCP sampling; the person agrees in
 * their client first). Changes nothing.
 */
export function registerReminderTools(server: McpServer, { ledger }: BillyTools): void {
  server.registerTool(
    'draft_payment_reminder',
    {
      title: 'Draft payment reminder',
      description:
        "Draft a polite payment reminder (Danish) for an unpaid invoice, to send to the customer. Uses the assistant's model to polish the wording when allowed; sends nothing.",
      inputSchema: { invoiceId: invoiceIdInput },
      outputSchema: {
        invoice: z.object({
          number: z.string(),
          customer: z.string(),
          balance: z.number(),
          dueDate: z.string(),
        }),
        draft: z.string(),
        writtenBy: z.string().describe('"template", or the model that polished it'),
      },
      annotations: { ...READS, title: 'Draft payment reminder' },
    },
    async ({ invoiceId }, extra) => {
      const { findInvoice } = ledger(extra);
      const invoice = findInvoice(invoiceId);
      if (invoice.balance <= 0) {
        throw new DemoServerError('invalid_state', `invoiceId: invoice ${invoice.number} is paid`, {
          field: 'invoiceId',
        });
      }
      let draft = templateReminder(invoice);
      let writtenBy = 'template';
      if (server.server.getClientCapabilities()?.sampling) {
        try {
          const answer = await server.server.createMessage(
            {
              systemPrompt:
                'You polish short Danish business emails. Keep every fact (names, numbers, dates, amounts) exactly as given. Reply with the email only.',
              messages: [
                {
                  role: 'user',
                  content: {
                    type: 'text',
                    text: `Make this payment reminder friendly and professional:\n"""\n${draft}\n"""`,
                  },
                },
              ],
              maxTokens: 400,
            },
            { relatedRequestId: extra.requestId, timeout: answerTimeoutMs, signal: extra.signal },
          );
          if (answer.content.type === 'text' && answer.content.text.trim() !== '') {
            draft = answer.content.text.trim();
            writtenBy = answer.model;
          }
        } catch {
          // Declined, or no model: the template stands.
        }
      }
      return toolResult(
        `Draft reminder for invoice ${invoice.number} (${writtenBy}):\n\n${draft}`,
        {
          invoice: {
            number: invoice.number,
            customer: invoice.customerName,
            balance: invoice.balance,
            dueDate: invoice.dueDate,
          },
          draft,
          writtenBy,
        },
      );
    },
  );
}
