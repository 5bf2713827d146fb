import { InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { englishLexicon } from './lexicon/english';
import { createOffline, offline } from './offline-provider';

describe('createOffline', () => {
  it('is shaped like an AI SDK provider: callable, languageModel, specificationVersion', () => {
    const provider = createOffline();
    expect(provider.specificationVersion).toBe('v4');
    const model = provider('offline-planner');
    expect(model).toMatchObject({
      specificationVersion: 'v4',
      provider: 'tekup-offline',
      modelId: 'offline-planner',
    });
    expect(provider.languageModel('offline-planner').modelId).toBe('offline-planner');
  });

  it('throws NoSuchModelError for other models and model types', () => {
    const provider = createOffline();
    expect(() => provider.languageModel('gpt-4o' as 'offline-planner')).toThrow(NoSuchModelError);
    expect(() => provider.embeddingModel('offline-planner')).toThrow(NoSuchModelError);
    expect(() => provider.imageModel('offline-planner')).toThrow(NoSuchModelError);
  });

  it('refuses a lexicon that brings no language to answer in', () => {
    const provider = createOffline({ lexicon: { concepts: { invoice: ['invoice'] } } });
    expect(() => provider('offline-planner')).toThrow(InvalidArgumentError);
  });

  it('takes one lexicon or several', async () => {
    const english = createOffline({ lexicon: englishLexicon })('offline-planner');
    const result = await generateText({ model: english, prompt: 'Tak' });
    expect(result.text).toMatch(/No tools are connected/);
  });

  it('has a default instance over English and Danish', async () => {
    const result = await generateText({ model: offline('offline-planner'), prompt: 'Mange tak' });
    expect(result.text).toBe('Selv tak. Sig til, hvis der er mere.');
  });
});
