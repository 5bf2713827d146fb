'use client';

import { AIAssistant } from '@tekup/ai-assistant';
import { ORGANIZATION_SERVERS } from '@tekup/demo-servers/manifest';

const QUICK_ACTIONS = [
  { label: 'Find invoices for Nordlys Rengøring', prompt: 'Find invoices for Nordlys Rengøring' },
  {
    label: 'Create invoice',
    prompt: 'Create an invoice for Nordlys Rengøring for 10 hours of window cleaning at 450 kr',
  },
  { label: 'Check calendar', prompt: 'Check my calendar tomorrow' },
  { label: 'How do I register VAT?', prompt: 'How do I report VAT (moms) for a quarter?' },
];

/** The assistant as a Tekup app embeds it: the gateway front at /api/gateway, the chat route at /api/chat. */
export function AssistantPanel({
  variant = 'inline',
  threadKey,
}: {
  variant?: 'inline' | 'floating';
  threadKey: string;
}) {
  return (
    <AIAssistant
      mcpServers={ORGANIZATION_SERVERS}
      gateway="/api/gateway"
      api="/api/chat"
      // Servers may ask the assistant's model to write (MCP sampling), once the user allows it.
      sampling={{ api: '/api/chat/sampling' }}
      variant={variant}
      title="Tekup Assistant"
      quickActions={QUICK_ACTIONS}
      threadKey={threadKey}
    />
  );
}
