import { createGatewayClient } from '@tekup/mcp-client-web';
import type { AssistantControllerOptions } from '../core/controller';
import type { GatewayClient } from '../core/types';

/** Builds the gateway client from `@tekup/mcp-client-web` with the user's credentials. */
export const createDefaultGatewayClient: NonNullable<AssistantControllerOptions['createClient']> = (
  options,
) => createGatewayClient(options) as unknown as GatewayClient;
