/**
 * The host side of MCP Apps from the official SDK, as its own self-contained module
 * (`@tekup/ai-assistant/app-bridge`, built with every dependency inside). The assistant imports it
 * only when a tool's view is first shown, so the SDK's schemas and their validator never join
 * the code a page loads up front, whatever the app's bundler shares between chunks.
 */
export {
  AppBridge,
  buildAllowAttribute,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge';
