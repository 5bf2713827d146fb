import { readFacts } from '../extract/read-facts';
import { idFits, nameTakesId } from '../extract/ids';
import { concept, concepts, isActionConcept, splitIdentifier } from '../language/words';
import type { Vocabulary } from '../lexicon/vocabulary';
import {
  isDateParam,
  type JsonSchema,
  type ParamRole,
  paramRole,
  schemaProperties,
} from '../schema';

/** A tool as the offline model sees it (the function tools of a language model call). */
export interface OfflineTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
}

/** One tool with how well it fits the user's words. */
export interface RankedTool {
  tool: OfflineTool;
  /** Total score; higher fits better. */
  score: number;
  /** The part of the score that comes from subject words (not verbs). */
  topicScore: number;
  /** The part that comes from words of the tool's own name. */
  nameScore: number;
}

const NAME_WEIGHT = 3;
const PARAM_WEIGHT = 1.5;
const ENUM_WEIGHT = 2;
const DESCRIPTION_WEIGHT = 1;

/** The smallest topic score a tool needs before the model calls it. */
export const TOOL_SCORE_THRESHOLD = 2;

/** Bonus when the message holds a value that only a parameter of this role takes. */
const FACT_BONUS: Partial<Record<ParamRole, number>> = { sql: 4, id: 2.5, path: 2, email: 1 };

function addTerm(
  terms: Map<string, number>,
  term: string,
  weight: number,
  vocabulary: Vocabulary,
): void {
  if (!term || vocabulary.stopwords.has(term)) return;
  const current = terms.get(term) ?? 0;
  if (weight > current) terms.set(term, weight);
}

function toolTerms(
  tool: OfflineTool,
  vocabulary: Vocabulary,
): { terms: Map<string, number>; actions: Set<string> } {
  const terms = new Map<string, number>();
  const actions = new Set<string>();
  const add = (term: string, weight: number) => addTerm(terms, term, weight, vocabulary);
  for (const word of splitIdentifier(tool.name)) {
    const value = concept(word, vocabulary);
    if (isActionConcept(value)) actions.add(value);
    add(value, NAME_WEIGHT);
  }
  for (const value of concepts(tool.description ?? '', vocabulary)) add(value, DESCRIPTION_WEIGHT);
  for (const [name, property] of schemaProperties(tool.inputSchema)) {
    for (const word of splitIdentifier(name)) add(concept(word, vocabulary), PARAM_WEIGHT);
    for (const value of property.enum ?? []) {
      if (typeof value === 'string') {
        for (const word of splitIdentifier(value)) add(concept(word, vocabulary), ENUM_WEIGHT);
      }
    }
  }
  return { terms, actions };
}

/**
 * Scores every tool against the user's text and returns them best first (stable for ties).
 * Subject words count by where they occur in the tool (name > parameters > description);
 * verbs (list, create, delete, update) only steer between tools of the same subject.
 */
export function rankTools(
  text: string,
  tools: readonly OfflineTool[],
  vocabulary: Vocabulary,
): RankedTool[] {
  const facts = readFacts(text, new Date(0), vocabulary);
  const present: Partial<Record<ParamRole, boolean>> = {
    sql: facts.sql !== undefined,
    id: facts.ids.length > 0,
    path: facts.paths.length > 0,
    email: facts.emails.length > 0,
  };
  const userConcepts = [...new Set(concepts(text, vocabulary))];
  const { properName, singleDay, identifier } = vocabulary;
  // A capitalized name of two or more words ("Nordlys Rengøring") names the domain's party.
  const hasProperName = facts.names.some((name) => /^\p{Lu}\S*\s+\S/u.test(name));
  if (properName && hasProperName && !userConcepts.includes(properName)) {
    userConcepts.push(properName);
  }
  // A single day with no other subject ("what do I have tomorrow?") asks for the day's agenda.
  const subjects = userConcepts.filter(
    (value) =>
      vocabulary.knownConcepts.has(value) &&
      !isActionConcept(value) &&
      value !== 'date' &&
      value !== 'howto' &&
      value !== properName,
  );
  if (singleDay && subjects.length === 0 && facts.dates.length === 1 && facts.dates[0]?.single) {
    userConcepts.push(singleDay);
  }
  // camelCase identifiers ("createGateway") point at code.
  if (identifier && facts.identifiers.length > 0 && !userConcepts.includes(identifier)) {
    userConcepts.push(identifier);
  }
  const userActions = new Set(userConcepts.filter(isActionConcept));
  const mentionsDate = userConcepts.includes('date');
  const asksHowTo = userConcepts.includes('howto');
  const lowerText = text.toLowerCase();
  const ranked = tools.map((tool, index) => {
    const { terms, actions } = toolTerms(tool, vocabulary);
    let topicScore = 0;
    let nameScore = 0;
    for (const value of userConcepts) {
      if (isActionConcept(value)) continue;
      const weight = terms.get(value) ?? 0;
      topicScore += weight;
      if (weight >= NAME_WEIGHT) nameScore += weight;
    }
    const properties = [...schemaProperties(tool.inputSchema)];
    if (
      mentionsDate &&
      properties.some(([name, schema]) => isDateParam(name, schema, vocabulary))
    ) {
      topicScore += 1.5;
    }
    const roles = new Map<ParamRole, boolean>();
    const required = new Set(tool.inputSchema.required ?? []);
    for (const [name, property] of properties) {
      let role = paramRole(name, property, vocabulary);
      // A name parameter that also takes ids ("customer id, name or CVR") fits a prefixed id.
      if (role === 'name' && facts.ids.some((id) => nameTakesId(id, property))) role = 'id';
      if (role === 'id' && !facts.ids.some((id) => idFits(id, name, property))) continue;
      roles.set(role, (roles.get(role) ?? false) || required.has(name));
    }
    for (const [role, bonus] of Object.entries(FACT_BONUS) as Array<[ParamRole, number]>) {
      // A value for a required parameter says more about the tool than one for an option.
      if (present[role] && roles.has(role)) topicScore += bonus + (roles.get(role) ? 1 : 0);
    }
    // "How do I …" asks for documentation, not for the action itself.
    if (asksHowTo && terms.has('document')) topicScore += 4;
    const bareName = tool.name.split('__').pop() ?? tool.name;
    if (lowerText.includes(tool.name.toLowerCase()) || lowerText.includes(bareName.toLowerCase())) {
      topicScore += 5;
    }
    let actionScore = 0;
    const writes = [...actions].some((action) => action !== 'list');
    const userWrites = [...userActions].some((action) => action !== 'list');
    const changes = writes || vocabulary.changes.some((word) => tool.name.includes(word));
    if ([...userActions].some((action) => actions.has(action))) actionScore += 2;
    else if (userWrites && actions.size > 0) actionScore -= 2;
    if (writes && !userWrites) actionScore -= 1.5;
    if (asksHowTo && changes) actionScore -= 3;
    return { tool, score: topicScore + actionScore, topicScore, nameScore, index };
  });
  ranked.sort((a, b) => b.score - a.score || a.index - b.index);
  return ranked.map(({ tool, score, topicScore, nameScore }) => ({
    tool,
    score,
    topicScore,
    nameScore,
  }));
}

/** A documentation search tool (a `document` subject in its name and a query parameter). */
export function documentationTool(
  tools: readonly OfflineTool[],
  vocabulary: Vocabulary,
): OfflineTool | undefined {
  return tools.find((tool) => {
    const { terms } = toolTerms(tool, vocabulary);
    if ((terms.get('document') ?? 0) < NAME_WEIGHT) return false;
    return [...schemaProperties(tool.inputSchema)].some(
      ([name, property]) => paramRole(name, property, vocabulary) === 'query',
    );
  });
}

/** The best tool when it clears the threshold, else undefined. */
export function pickTool(
  text: string,
  tools: readonly OfflineTool[],
  vocabulary: Vocabulary,
): RankedTool | undefined {
  const [best] = rankTools(text, tools, vocabulary);
  if (!best || best.topicScore < TOOL_SCORE_THRESHOLD || best.score <= 0) return undefined;
  return best;
}
