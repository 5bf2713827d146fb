import { createContext, useContext } from 'react';
import type { AssistantController } from '../core/controller';
import type { ToolRenderers } from './renderers';

export interface AssistantContextValue {
  controller: AssistantController;
  renderers: ToolRenderers | undefined;
}

export const AssistantContext = createContext<AssistantContextValue | null>(null);

export function useAssistantContext(): AssistantContextValue {
  const value = useContext(AssistantContext);
  if (!value)
    throw new Error('Assistant hooks must be used inside <AssistantProvider> or <AIAssistant>.');
  return value;
}
