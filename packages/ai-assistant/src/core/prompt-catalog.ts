import type { AssistantStore } from './state';
import type { AssistantGatewayClient, PromptEntry } from './types';

/** The servers' prompts: listed when first wanted, filled in on use. */
export interface PromptCatalog {
  /** Lists every server's prompts once (again with `refresh`); a server without prompts adds none. */
  load(options?: { refresh?: boolean }): Promise<PromptEntry[]>;
  /** The text a prompt gives for `args`: its user messages, in order. */
  text(entry: PromptEntry, args: Record<string, string>, signal?: AbortSignal): Promise<string>;
}

/** What {@link createPromptCatalog} needs. */
export interface PromptCatalogOptions {
  store: AssistantStore;
  servers: readonly string[];
  getClient: () => AssistantGatewayClient;
}

/** Creates the prompt catalog: one job, the prompts the `/` menu offers. */
export function createPromptCatalog(options: PromptCatalogOptions): PromptCatalog {
  const { store } = options;
  let listing: Promise<PromptEntry[]> | undefined;

  const list = async (): Promise<PromptEntry[]> => {
    const client = options.getClient();
    const server = client.server;
    if (!server) return [];
    const perServer = await Promise.all(
      options.servers.map(async (name) => {
        try {
          const prompts = await server(name).listPrompts();
          return prompts.map(
            (prompt): PromptEntry => ({
              server: name,
              name: prompt.name,
              ...(prompt.title ? { title: prompt.title } : {}),
              ...(prompt.description ? { description: prompt.description } : {}),
              arguments: (prompt.arguments ?? []).map((argument) => ({
                name: argument.name,
                ...(argument.title ? { title: argument.title } : {}),
                ...(argument.description ? { description: argument.description } : {}),
                required: argument.required === true,
              })),
            }),
          );
        } catch {
          // Most servers have no prompts (method not found); one that fails offers none.
          return [];
        }
      }),
    );
    return perServer.flat();
  };

  return {
    load({ refresh } = {}) {
      if (!listing || refresh) {
        store.setState({ promptsStatus: 'loading' });
        const current = list().then((prompts) => {
          if (listing === current) store.setState({ prompts, promptsStatus: 'ready' });
          return prompts;
        });
        listing = current;
      }
      return listing;
    },
    async text(entry, args, signal) {
      const client = options.getClient();
      if (!client.server) throw new Error('This gateway client offers no prompts.');
      const result = await client.server(entry.server).getPrompt(entry.name, args, {
        ...(signal ? { signal } : {}),
      });
      return result.messages
        .filter((message) => message.role === 'user' && message.content.type === 'text')
        .map((message) => (message.content as { text: string }).text)
        .join('\n\n');
    },
  };
}
