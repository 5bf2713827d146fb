import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import type { PendingQuestion } from '../core/state';
import { useAssistantContext } from './context';

/** One field of an elicitation form, read from its requested schema (flat primitives only). */
type Field =
  | {
      kind: 'text';
      input: 'text' | 'email' | 'url' | 'date' | 'datetime-local';
      minLength?: number;
      maxLength?: number;
    }
  | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
  | { kind: 'boolean' }
  | { kind: 'choice'; options: Array<{ value: string; label: string }> }
  | {
      kind: 'multi';
      options: Array<{ value: string; label: string }>;
      minItems?: number;
      maxItems?: number;
    };

interface FieldSpec {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  field: Field;
  initial: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionsOf(
  schema: Record<string, unknown>,
): Array<{ value: string; label: string }> | undefined {
  const titled = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
      ? schema.anyOf
      : undefined;
  if (titled) {
    return titled.filter(isRecord).map((option) => ({
      value: String(option.const),
      label: typeof option.title === 'string' ? option.title : String(option.const),
    }));
  }
  if (!Array.isArray(schema.enum)) return undefined;
  // `enumNames` is the legacy (2025-06-18) way to title an enum's values.
  const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
  return schema.enum.map((value, index) => ({
    value: String(value),
    label: typeof names[index] === 'string' ? (names[index] as string) : String(value),
  }));
}

const formatInputs: Record<string, 'email' | 'url' | 'date' | 'datetime-local'> = {
  email: 'email',
  uri: 'url',
  date: 'date',
  'date-time': 'datetime-local',
};

/** The fields of a requested schema, in order; properties of other shapes are left out. */
function fieldsOf(requestedSchema: unknown): FieldSpec[] {
  if (!isRecord(requestedSchema) || !isRecord(requestedSchema.properties)) return [];
  const required = new Set(Array.isArray(requestedSchema.required) ? requestedSchema.required : []);
  const specs: FieldSpec[] = [];
  for (const [name, raw] of Object.entries(requestedSchema.properties)) {
    if (!isRecord(raw)) continue;
    let field: Field | undefined;
    const type = raw.type;
    if (type === 'array' && isRecord(raw.items)) {
      const options = optionsOf(raw.items);
      if (options) {
        field = { kind: 'multi', options };
        if (typeof raw.minItems === 'number') field.minItems = raw.minItems;
        if (typeof raw.maxItems === 'number') field.maxItems = raw.maxItems;
      }
    } else if (type === 'string' && optionsOf(raw)) {
      field = { kind: 'choice', options: optionsOf(raw) ?? [] };
    } else if (type === 'string') {
      field = { kind: 'text', input: formatInputs[String(raw.format)] ?? 'text' };
      if (typeof raw.minLength === 'number') field.minLength = raw.minLength;
      if (typeof raw.maxLength === 'number') field.maxLength = raw.maxLength;
    } else if (type === 'number' || type === 'integer') {
      field = { kind: 'number', integer: type === 'integer' };
      if (typeof raw.minimum === 'number') field.minimum = raw.minimum;
      if (typeof raw.maximum === 'number') field.maximum = raw.maximum;
    } else if (type === 'boolean') {
      field = { kind: 'boolean' };
    }
    if (field === undefined) continue;
    specs.push({
      name,
      label: typeof raw.title === 'string' ? raw.title : name,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      required: required.has(name),
      field,
      initial: raw.default,
    });
  }
  return specs;
}

/** An ISO date-time as a `datetime-local` value (local time, minutes). */
function toLocalInput(value: unknown): string {
  if (typeof value !== 'string') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** The form's values as the content the server asked for (empty optional fields left out). */
function contentOf(form: HTMLFormElement, specs: FieldSpec[]): Record<string, unknown> {
  const data = new FormData(form);
  const content: Record<string, unknown> = {};
  for (const spec of specs) {
    const { field, name } = spec;
    if (field.kind === 'boolean') content[name] = data.get(name) === 'on';
    else if (field.kind === 'multi') content[name] = data.getAll(name).map(String);
    else {
      const value = String(data.get(name) ?? '');
      if (value === '') continue;
      if (field.kind === 'number') content[name] = Number(value);
      else if (field.kind === 'text' && field.input === 'datetime-local')
        content[name] = new Date(value).toISOString();
      else content[name] = value;
    }
  }
  return content;
}

/** A message a multi-select's item count breaks, or undefined. */
function countProblem(spec: FieldSpec, count: number): string | undefined {
  if (spec.field.kind !== 'multi') return undefined;
  const min = spec.field.minItems ?? (spec.required ? 1 : 0);
  if (count < min) return `Choose at least ${min}.`;
  if (spec.field.maxItems !== undefined && count > spec.field.maxItems)
    return `Choose at most ${spec.field.maxItems}.`;
  return undefined;
}

function FieldInput({ spec, formId }: { spec: FieldSpec; formId: string }) {
  const id = `${formId}-${spec.name}`;
  const hintId = spec.description ? `${id}-hint` : undefined;
  const { field } = spec;
  const label = (
    <>
      {spec.label}
      {spec.required ? (
        <>
          <span aria-hidden="true"> *</span>
          <span className="ta-sr-only"> (required)</span>
        </>
      ) : null}
    </>
  );
  if (field.kind === 'boolean') {
    return (
      <div className="ta-field ta-field-check">
        <label className="ta-check" htmlFor={id}>
          <input
            id={id}
            name={spec.name}
            type="checkbox"
            defaultChecked={spec.initial === true}
            aria-describedby={hintId}
          />
          {label}
        </label>
        {hintId ? (
          <p id={hintId} className="ta-muted ta-hint">
            {spec.description}
          </p>
        ) : null}
      </div>
    );
  }
  if (field.kind === 'multi' || (field.kind === 'choice' && field.options.length <= 4)) {
    const multi = field.kind === 'multi';
    const initial = multi
      ? new Set(Array.isArray(spec.initial) ? spec.initial.map(String) : [])
      : new Set(spec.initial === undefined ? [] : [String(spec.initial)]);
    return (
      <fieldset className="ta-field ta-choices" aria-describedby={hintId}>
        <legend>{label}</legend>
        {field.options.map((option) => (
          <label key={option.value} className="ta-check">
            <input
              type={multi ? 'checkbox' : 'radio'}
              name={spec.name}
              value={option.value}
              defaultChecked={initial.has(option.value)}
              required={!multi && spec.required}
            />
            {option.label}
          </label>
        ))}
        {hintId ? (
          <p id={hintId} className="ta-muted ta-hint">
            {spec.description}
          </p>
        ) : null}
      </fieldset>
    );
  }
  return (
    <div className="ta-field">
      <label htmlFor={id}>{label}</label>
      {field.kind === 'choice' ? (
        <select
          id={id}
          name={spec.name}
          required={spec.required}
          defaultValue={spec.initial === undefined ? '' : String(spec.initial)}
          aria-describedby={hintId}
        >
          {spec.required && spec.initial !== undefined ? null : <option value="">—</option>}
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : field.kind === 'number' ? (
        <input
          id={id}
          name={spec.name}
          type="number"
          inputMode={field.integer ? 'numeric' : 'decimal'}
          step={field.integer ? 1 : 'any'}
          min={field.minimum}
          max={field.maximum}
          required={spec.required}
          defaultValue={typeof spec.initial === 'number' ? spec.initial : undefined}
          aria-describedby={hintId}
        />
      ) : (
        <input
          id={id}
          name={spec.name}
          type={field.input}
          minLength={field.minLength}
          maxLength={field.maxLength}
          required={spec.required}
          defaultValue={
            field.input === 'datetime-local'
              ? toLocalInput(spec.initial)
              : typeof spec.initial === 'string'
                ? spec.initial
                : undefined
          }
          aria-describedby={hintId}
        />
      )}
      {hintId ? (
        <p id={hintId} className="ta-muted ta-hint">
          {spec.description}
        </p>
      ) : null}
    </div>
  );
}

function FormQuestion({
  question,
  serverLabel,
}: {
  question: PendingQuestion;
  serverLabel: string;
}) {
  const { controller } = useAssistantContext();
  const formId = useId();
  const messageId = `${formId}-message`;
  const formRef = useRef<HTMLFormElement>(null);
  const specs = useMemo(
    () => fieldsOf(question.params.requestedSchema),
    [question.params.requestedSchema],
  );
  const [problem, setProblem] = useState<string | undefined>();
  const message = typeof question.params.message === 'string' ? question.params.message : '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    if (!form.reportValidity()) return;
    const content = contentOf(form, specs);
    for (const spec of specs) {
      const count = Array.isArray(content[spec.name])
        ? (content[spec.name] as unknown[]).length
        : 0;
      const broken = countProblem(spec, count);
      if (broken) {
        setProblem(`${spec.label}: ${broken}`);
        form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(spec.name)}"]`)?.focus();
        return;
      }
    }
    controller.answerQuestion(question.toolCallId, { action: 'accept', content });
  };

  return (
    <form
      ref={formRef}
      className="ta-question"
      data-testid="assistant-question"
      data-mode="form"
      aria-labelledby={messageId}
      onSubmit={submit}
      noValidate={false}
    >
      <p id={messageId} className="ta-question-message">
        <span className="ta-tool-server">{serverLabel}</span> {message}
      </p>
      {specs.map((spec) => (
        <FieldInput key={spec.name} spec={spec} formId={formId} />
      ))}
      {problem ? (
        <p className="ta-tool-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="ta-row">
        <button
          type="submit"
          className="ta-button ta-primary"
          data-testid="assistant-question-accept"
        >
          Submit
        </button>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-question-decline"
          onClick={() => controller.answerQuestion(question.toolCallId, { action: 'decline' })}
        >
          Decline
        </button>
        <button
          type="button"
          className="ta-button ta-quiet"
          data-testid="assistant-question-cancel"
          onClick={() => controller.answerQuestion(question.toolCallId, { action: 'cancel' })}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The host of a link, or undefined when it is not one a person may be sent to. */
function safeTarget(url: unknown): URL | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1';
    return parsed.protocol === 'https:' || (local && parsed.protocol === 'http:')
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

function UrlQuestion({
  question,
  serverLabel,
}: {
  question: PendingQuestion;
  serverLabel: string;
}) {
  const { controller } = useAssistantContext();
  const messageId = useId();
  const target = safeTarget(question.params.url);
  const message = typeof question.params.message === 'string' ? question.params.message : '';
  return (
    <fieldset
      className="ta-question"
      aria-labelledby={messageId}
      data-testid="assistant-question"
      data-mode="url"
    >
      <p id={messageId} className="ta-question-message">
        <span className="ta-tool-server">{serverLabel}</span> {message}
      </p>
      {target ? (
        <p className="ta-url-target">
          Opens <strong data-testid="assistant-question-domain">{target.hostname}</strong> in a new
          tab:
          <span className="ta-url-full">{target.href}</span>
        </p>
      ) : (
        <p className="ta-tool-error" role="alert">
          The server sent a link that is not a safe web address; it cannot be opened.
        </p>
      )}
      <div className="ta-row">
        <button
          type="button"
          className="ta-button ta-primary"
          data-testid="assistant-question-accept"
          disabled={!target}
          onClick={() => {
            if (!target) return;
            window.open(target.href, '_blank', 'noopener,noreferrer');
            controller.answerQuestion(question.toolCallId, { action: 'accept' });
          }}
        >
          {target ? `Open ${target.hostname}` : 'Open'}
        </button>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-question-decline"
          onClick={() => controller.answerQuestion(question.toolCallId, { action: 'decline' })}
        >
          Decline
        </button>
        <button
          type="button"
          className="ta-button ta-quiet"
          data-testid="assistant-question-cancel"
          onClick={() => controller.answerQuestion(question.toolCallId, { action: 'cancel' })}
        >
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

/** The text of a sampling request's messages, for the person to read before agreeing. */
function samplingText(params: Record<string, unknown>): string {
  const messages = Array.isArray(params.messages) ? params.messages : [];
  return messages
    .filter(isRecord)
    .map((message) => {
      const content = Array.isArray(message.content) ? message.content : [message.content];
      return content
        .filter(isRecord)
        .map((part) =>
          part.type === 'text' && typeof part.text === 'string'
            ? part.text
            : `[${String(part.type)}]`,
        )
        .join(' ');
    })
    .join('\n\n');
}

function SamplingQuestion({
  question,
  serverLabel,
}: {
  question: PendingQuestion;
  serverLabel: string;
}) {
  const { controller } = useAssistantContext();
  const messageId = useId();
  const running = question.sampling === 'running';
  const maxTokens =
    typeof question.params.maxTokens === 'number' ? question.params.maxTokens : undefined;
  return (
    <fieldset
      className="ta-question"
      aria-labelledby={messageId}
      data-testid="assistant-question"
      data-mode="sampling"
    >
      <p id={messageId} className="ta-question-message">
        <strong>{serverLabel}</strong> wants the assistant&rsquo;s model to write an answer
        {maxTokens ? ` (at most ${maxTokens} tokens)` : ''}:
      </p>
      <blockquote className="ta-sampling-text">{samplingText(question.params)}</blockquote>
      {typeof question.params.systemPrompt === 'string' ? (
        <details className="ta-tool-args">
          <summary>Instructions to the model</summary>
          <pre className="ta-args">{question.params.systemPrompt}</pre>
        </details>
      ) : null}
      <div className="ta-row">
        <button
          type="button"
          className="ta-button ta-primary"
          data-testid="assistant-question-accept"
          disabled={running}
          onClick={() => void controller.approveSample(question.toolCallId)}
        >
          {running ? 'Writing…' : 'Allow'}
        </button>
        <button
          type="button"
          className="ta-button"
          data-testid="assistant-question-decline"
          disabled={running}
          onClick={() => controller.declineSample(question.toolCallId)}
        >
          Decline
        </button>
      </div>
    </fieldset>
  );
}

/** A server's question on a call's card: a form, a link to open, or a request for the model. */
export function QuestionCard({
  question,
  serverLabel,
}: {
  question: PendingQuestion;
  serverLabel: string;
}) {
  if (question.method === 'sampling/createMessage')
    return <SamplingQuestion question={question} serverLabel={serverLabel} />;
  if (question.params.mode === 'url')
    return <UrlQuestion question={question} serverLabel={serverLabel} />;
  return <FormQuestion question={question} serverLabel={serverLabel} />;
}
