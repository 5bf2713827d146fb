import type { QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { AssistantController } from '../core/controller';
import type { ToolRenderers } from './renderers';

export interface AssistantContextValue {
  controller: AssistantController;
  queryClient: QueryClient;
  gateway: string | undefined;
  servers: string[];
  renderers: ToolRenderers | undefined;
  fetch: typeof fetch | undefined;
  credentials: RequestCredentials;
}

export const AssistantContext = createContext<AssistantContextValue | null>(null);

export function useAssistantContext(): AssistantContextValue {
  const value = useContext(AssistantContext);
  if (!value)
    throw new Error('Assistant hooks must be used inside <AssistantProvider> or <AIAssistant>.');
  return value;
}
